import ArgumentParser
import ContractGenCore
import Foundation

/// `contractgen`: generates Swift from OpenAPI contracts.
@main
struct ContractGenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contractgen",
        abstract: "Generate Swift DTOs, validators, error codes and Hummingbird routes from contracts.",
        subcommands: [GenerateCommand.self, LintCommand.self, BundleCommand.self])
}

/// `contractgen generate --contracts PATH --output DIR`
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Generate Swift code from a contracts directory or one OpenAPI file.")

    @Option(name: .long, help: "A contracts directory (OpenAPI root + errors.yaml) or a single OpenAPI file.")
    var contracts: String

    @Option(name: .long, help: "Directory the generated files are written to.")
    var output: String

    @Option(name: .long, help: "A directory of .mustache templates overriding the bundled ones.")
    var templates: String?

    @Option(name: .long, help: "How many files (API_0…) types and operations are spread over.")
    var shards: Int = 16

    @Option(name: .long, help: "Access level of generated declarations (public or internal).")
    var access: String = "public"

    @Option(name: .long, help: "What to generate: api (DTOs, validators, routes), cases (the negative contract cases, for a test-only target), database (repositories and named queries), mappings (DTOs from the rows of their x-table, for a target importing both), client (a typed Swift client) or typescript (a TypeScript client: ES modules with type declarations).")
    var emit: String = "api"

    @Option(name: .customLong("import"), help: "With --emit mappings: a module the mappings import (the API's, the database layer's); repeatable.")
    var imports: [String] = []

    @Flag(name: .long, help: "Treat warnings as errors.")
    var warningsAsErrors = false

    @Flag(name: .long, help: "For third-party documents: only what stops generation is an error; lint's own rules warn.")
    var lenient = false

    @Option(name: .long, help: "A contractlint.yaml (default: the one beside the contracts, if any); generate judges as lint does.")
    var config: String?

    func run() throws {
        guard ["public", "internal", "package"].contains(access) else {
            throw ValidationError("--access must be public, internal or package")
        }
        guard (1...64).contains(shards) else { throw ValidationError("--shards must be between 1 and 64") }
        guard ["api", "cases", "database", "mappings", "client", "typescript"].contains(emit) else {
            throw ValidationError("--emit must be api, cases, database, mappings, client or typescript")
        }
        let source = try loadSource(contracts)
        let options = SwiftGenerator.Options(shards: shards, accessModifier: access, client: emit == "client")
        let policy = AnalysisPolicy(configuration: try lintConfiguration(for: contracts, explicit: config), lenient: lenient)
        var (files, diagnostics) = switch emit {
        case "database": ContractPipeline.generateDatabase(source: source, templatesDirectory: templates, options: options, policy: policy)
        case "typescript": ContractPipeline.generateTypeScript(source: source, templatesDirectory: templates, policy: policy)
        case "mappings":
            ContractPipeline.generateMappings(source: source, templatesDirectory: templates, options: options, imports: imports, policy: policy)
        default: ContractPipeline.generate(source: source, templatesDirectory: templates, options: options, policy: policy)
        }
        // The API and its cases come from one generation; each goes to its own target.
        if emit == "api" { files = files?.filter { $0.key != SwiftGenerator.casesFileName } }
        if emit == "cases" { files = files?.filter { $0.key == SwiftGenerator.casesFileName } }
        report(diagnostics)
        let failed = diagnostics.contains { $0.severity == .error || (warningsAsErrors && $0.severity == .warning) }
        guard let files, !failed else { throw ExitCode(1) }
        do {
            try ContractPipeline.write(files, to: output)
        } catch {
            FileHandle.standardError.write(Data("error: cannot write \(output): \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
    }

}

/// `contractgen lint [PATH…] [--format human|json|sarif|github] [--config FILE]`: exit 0 when clean,
/// 1 with findings at error level, 2 for usage or I/O problems.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint", abstract: "Check contracts (directories or OpenAPI files) before they are merged.")

    @Argument(help: "Contracts directories or OpenAPI files (default: contracts).")
    var paths: [String] = ["contracts"]

    @Option(name: .long, help: "human, json, sarif or github.")
    var format: String = "human"

    @Option(name: .long, help: "A contractlint.yaml (default: the one beside each contracts directory, if any).")
    var config: String?

    @Flag(name: .long, help: "For third-party documents: only what stops generation is an error; lint's own rules warn.")
    var lenient = false

    func run() throws {
        guard let format = LintReport.Format(rawValue: format) else {
            FileHandle.standardError.write(Data("error: --format must be one of \(LintReport.Format.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            throw ExitCode(2)
        }
        var findings: [Diagnostic] = []
        for path in paths {
            let source: ContractSource
            do {
                source = try ContractSource(path: path)
            } catch {
                report(error.diagnostics)
                throw ExitCode(2)
            }
            let configuration = try lintConfiguration(for: path, explicit: config)
            findings += ContractLinter.lint(source, configuration: configuration, lenient: lenient)
        }
        FileHandle.standardOutput.write(Data(LintReport.render(findings, format: format).utf8))
        if findings.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
}

/// `contractgen bundle --contracts PATH [--output FILE]`
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Write the contract as one self-contained OpenAPI JSON document (external $refs hoisted or inlined).")

    @Option(name: .long, help: "A contracts directory or a single OpenAPI file.")
    var contracts: String

    @Option(name: .long, help: "The JSON file to write; standard output when absent.")
    var output: String?

    func run() throws {
        let source = try loadSource(contracts)
        let (json, diagnostics) = ContractPipeline.bundle(source)
        report(diagnostics)
        guard let json, !diagnostics.contains(where: { $0.severity == .error }) else { throw ExitCode(1) }
        guard let output else {
            FileHandle.standardOutput.write(Data((json + "\n").utf8))
            return
        }
        do {
            try Data((json + "\n").utf8).write(to: URL(fileURLWithPath: output))
        } catch {
            FileHandle.standardError.write(Data("error: cannot write \(output): \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// The lint configuration for the contracts at `path`: `explicit`, else the `contractlint.yaml`
/// beside them (in the contracts directory, or beside a single OpenAPI file), else the defaults.
/// Exits 2 after printing the problems of a malformed one.
func lintConfiguration(for path: String, explicit: String?) throws -> LintConfiguration {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    let beside = (exists && isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent) + "/contractlint.yaml"
    guard let file = explicit ?? (FileManager.default.fileExists(atPath: beside) ? beside : nil) else { return LintConfiguration() }
    let (loaded, problems) = LintConfiguration.load(file)
    guard problems.isEmpty else {
        report(problems)
        throw ExitCode(2)
    }
    return loaded
}

/// The contract at `path`, or exit 1 after printing why it cannot be read.
func loadSource(_ path: String) throws -> ContractSource {
    do {
        return try ContractSource(path: path)
    } catch {
        report(error.diagnostics)
        throw ExitCode(1)
    }
}

/// Prints diagnostics to standard error, compiler style, in file and line order.
func report(_ diagnostics: [Diagnostic]) {
    var collector = DiagnosticCollector()
    diagnostics.forEach { collector.emit($0) }
    for diagnostic in collector.sorted {
        FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
    }
}
