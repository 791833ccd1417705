import ContractGenCore
import Foundation
import Testing

/// `multipart/form-data` request bodies: the operation gets a `Form` of the schema's fields (`format: binary` ones as
/// `FormFile`), read from the parts by the server and written as parts by the client; a body only offered as
/// `application/x-www-form-urlencoded` is still skipped, with a warning.
@Suite("multipart/form-data bodies")
struct MultipartFormTests {
    static let contract = [
        "openapi.yaml": """
        openapi: 3.1.0
        info: {title: Uploads, version: '1'}
        paths:
          /files:
            post:
              operationId: createFile
              requestBody:
                required: true
                content:
                  multipart/form-data:
                    schema: {$ref: '#/components/schemas/CreateFileRequest'}
              responses:
                '204': {description: stored}
          /legacy:
            post:
              operationId: legacyPost
              requestBody:
                content:
                  application/x-www-form-urlencoded:
                    schema: {type: object, properties: {a: {type: string}}}
              responses:
                '204': {description: done}
        components:
          schemas:
            CreateFileRequest:
              type: object
              required: [file, purpose]
              properties:
                file: {type: string, format: binary}
                attachments: {type: array, items: {type: string, format: binary}}
                purpose: {type: string, enum: [assistants, batch]}
                note: {type: string, maxLength: 20}
        """,
    ]

    @Test func theServerReadsAFormWithFilesAndTheClientWritesIt() throws {
        let (server, diagnostics) = try PipelineTests.generate(Self.contract)
        #expect(server.contains("public struct Form: ContractForm {"))
        #expect(server.contains("public var file: FormFile"))
        #expect(server.contains("public var attachments: [FormFile]?"))
        #expect(server.contains("public var purpose: Purpose"))
        #expect(server.contains("let file = reader.required(\"file\", as: FormFile.self, issues: &issues)"))
        #expect(server.contains("let body = parts.form(Form.self, required: true, issues: &issues)"))
        #expect(server.contains("Check.length(noteValue, min: nil, max: 20"))
        #expect(server.contains("requestBodyIsRaw: true"), "a form is read with the upload limit")
        #expect(!server.contains("enum LegacyPost"), "the urlencoded-only operation is skipped")
        let warnings = diagnostics.filter { $0.ruleID == "unsupported" }.map(\.message)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("application/x-www-form-urlencoded") == true)

        let directory = try PipelineTests.contractDirectory(Self.contract)
        let (client, _) = ContractPipeline.generate(
            source: try ContractSource(path: directory + "/openapi.yaml"), templatesDirectory: nil, options: .init(shards: 1, client: true),
            policy: AnalysisPolicy(lenient: true))
        let clientText = try #require(client).values.joined()
        #expect(clientText.contains("body: ClientOperations.CreateFile.Form"))
        #expect(clientText.contains("request.setFormBody(body)"))
        #expect(clientText.contains("var formParts: [FormPart]"))
    }
}
