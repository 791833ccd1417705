import ContractGenCore
import Foundation
import Testing

/// `x-principal` on a security scheme: handlers of operations secured by it get the caller typed as
/// the contract says (a UUID subject, its claims), and the runtime is told the shape to enforce.
@Suite("x-principal: a typed caller for the handlers")
struct TypedPrincipalTests {
    static func contract(principal: String) throws -> ContractSource {
        let directory = try PipelineTests.temporaryDirectory()
        try """
        openapi: 3.1.0
        info: {title: Notes, version: '1'}
        security: [{readerAuth: []}]
        paths:
          /v1/me:
            get:
              operationId: getMe
              responses:
                '200':
                  description: The caller.
                  content: {application/json: {schema: {type: string}}}
          /v1/health:
            get:
              operationId: getHealth
              security: [{}, {readerAuth: []}]
              responses:
                '200':
                  description: Up.
                  content: {application/json: {schema: {type: string}}}
        components:
          securitySchemes:
            readerAuth:
              type: http
              scheme: bearer
        \(principal)
        """.write(toFile: directory + "/openapi.yaml", atomically: true, encoding: .utf8)
        return try ContractSource(path: directory)
    }

    @Test func operationsSecuredByTheSchemeTakeItsTypedPrincipal() throws {
        let source = try Self.contract(principal: """
                  x-principal:
                    subject: {type: string, format: uuid, description: The reader.}
                    claims:
                      tenant: {type: string}
            """)
        let (files, diagnostics) = ContractPipeline.generate(source: source, templatesDirectory: nil, options: .init(shards: 1))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        let contract = try #require(files?["Contract.swift"])
        let operations = try #require(files?["API_0.swift"])
        #expect(contract.contains(#"SecuritySchemeDescriptor(name: "readerAuth", kind: .bearer(format: nil), principal: PrincipalShape(subject: .uuid, claims: ["tenant": .text]))"#))
        #expect(contract.contains("public struct ReaderAuthPrincipal: Sendable, Hashable {\n    /// The reader.\n    public var subject: UUID\n"))
        #expect(contract.contains(#"guard let tenant = principal.claims["tenant"] else { return nil }"#))
        #expect(operations.contains("public var principal: ReaderAuthPrincipal\n"))
        #expect(operations.contains("public var principal: ReaderAuthPrincipal?\n"), "anonymous callers allowed: optional")
        #expect(operations.contains("let principal = parts.principal.flatMap(ReaderAuthPrincipal.init)"))
    }

    @Test func aPrincipalFieldThatIsNotAStringIsAnError() throws {
        let source = try Self.contract(principal: """
                  x-principal:
                    subject: {type: integer}
            """)
        let errors = ContractLinter.lint(source).filter { $0.severity == .error }.map(\.description)
        #expect(errors.count == 1 && errors[0].hasSuffix(
            "error: x-principal: subject must be a string schema ({type: string} or {type: string, format: uuid}) [x-principal]"), "\(errors)")
    }
}
