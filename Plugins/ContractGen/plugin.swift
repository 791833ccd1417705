import Foundation
import PackagePlugin

/// Runs `contractgen generate` for a target on every build.
///
/// The target holds a `contractgen.json`: `{"contracts": "<dir or file, relative to the target>",
/// "templates": "<optional override dir>", "shards": 16, "access": "public", "emit": "api"}`
/// (`"emit": "database"` generates repositories and named queries from `db/` instead, `"emit": "mappings"`
/// initializers of the DTOs bound to tables from their rows, for a target importing the API and the database layer
/// (`"imports": ["MyAPI", "MyDatabase"]`), `"emit": "cases"`
/// the negative contract cases alone, for a target only tests depend on, `"emit": "client"` a typed
/// client of the contract (types, error codes, one method per operation); `"lenient": true`
/// for a third-party document: only what stops generation fails the build, as `contractgen
/// generate --lenient`). The contract is judged as `contractgen lint` judges it, with the
/// `contractlint.yaml` inside the contracts directory when there is one. Every contract and
/// template file is declared as an input, so an unchanged build does not generate again, and
/// the outputs have fixed names (`SwiftGenerator.outputFileNames`), as SwiftPM requires.
@main
struct ContractGenPlugin: BuildToolPlugin {
    struct Configuration: Decodable {
        var contracts: String
        var templates: String?
        var shards: Int?
        var access: String?
        var emit: String?
        var lenient: Bool?
        /// `"emit": "mappings"`: the modules the mappings import (the API's and the database layer's).
        var imports: [String]?
    }

    enum PluginError: Error, CustomStringConvertible {
        case missingConfiguration(String)
        case invalidConfiguration(String, String)

        var description: String {
            switch self {
            case .missingConfiguration(let path):
                "\(path): error: the ContractGen plugin needs a contractgen.json in the target directory"
            case .invalidConfiguration(let path, let reason):
                "\(path):1:1: error: \(reason)"
            }
        }
    }

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let configURL = target.directoryURL.appending(path: "contractgen.json")
        guard let data = FileManager.default.contents(atPath: configURL.path) else {
            throw PluginError.missingConfiguration(configURL.path)
        }
        let configuration: Configuration
        do {
            configuration = try JSONDecoder().decode(Configuration.self, from: data)
        } catch {
            throw PluginError.invalidConfiguration(configURL.path, "contractgen.json does not parse: \(error)")
        }
        let shards = configuration.shards ?? 16
        guard (1...64).contains(shards) else {
            throw PluginError.invalidConfiguration(configURL.path, "shards must be between 1 and 64")
        }
        let contracts = target.directoryURL.appending(path: configuration.contracts).standardizedFileURL
        let templates = configuration.templates.map { target.directoryURL.appending(path: $0).standardizedFileURL }
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedSources")

        var inputs = [configURL]
        inputs += Self.files(under: contracts)
        if let templates { inputs += Self.files(under: templates) }

        var arguments = ["generate", "--contracts", contracts.path, "--output", output.path, "--shards", String(shards)]
        if let templates { arguments += ["--templates", templates.path] }
        if let access = configuration.access { arguments += ["--access", access] }
        let emit = configuration.emit ?? "api"
        guard ["api", "cases", "database", "mappings", "client"].contains(emit) else {
            throw PluginError.invalidConfiguration(configURL.path, "emit must be \"api\", \"cases\", \"database\", \"mappings\" or \"client\"")
        }
        arguments += ["--emit", emit]
        for module in configuration.imports ?? [] { arguments += ["--import", module] }
        if configuration.lenient == true { arguments.append("--lenient") }

        return [
            .buildCommand(
                displayName: "contractgen: generating \(target.name) from \(configuration.contracts)",
                executable: try context.tool(named: "contractgen").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: Self.outputFileNames(emit: emit, shards: shards).map { output.appending(path: $0) })
        ]
    }

    /// Must match `DatabaseGenerator.outputFileNames`.
    static let databaseFileNames = ["DatabaseEnums.swift", "Tables.swift", "NamedQueries.swift", "Migrations.swift"]

    /// Must match `SwiftGenerator.outputFileNames(shards:)`, `SwiftGenerator.casesFileName` and `SwiftGenerator.clientFileNames(shards:)`.
    static func outputFileNames(emit: String, shards: Int) -> [String] {
        switch emit {
        case "database": databaseFileNames
        case "mappings": ["Mappings.swift"]
        case "cases": ["ContractCases.swift"]
        case "client":
            (0..<shards).map { "API_\($0).swift" } + ["Client.swift", "ErrorCodes.swift"]
        default:
            (0..<shards).map { "API_\($0).swift" } + ["Contract.swift", "ErrorCodes.swift", "Handlers.swift"]
        }
    }

    static func files(under url: URL) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [url] }
        var result: [URL] = []
        let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])
        while let file = enumerator?.nextObject() as? URL {
            if (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { result.append(file) }
        }
        return result.sorted { $0.path < $1.path }
    }
}
