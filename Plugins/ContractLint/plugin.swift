import Foundation
import PackagePlugin

/// `swift package contract-lint [PATH…] [--format human|json|sarif|github] [--config FILE] [--target NAME…]`:
/// runs `contractgen lint` on a package's contracts.
///
/// Without paths it lints the package's `contracts/` directory and the contracts every target's
/// `contractgen.json` names (each once); `--target` limits that to the named targets. Paths are
/// relative to the package. The exit status is contractgen's: 0 clean, non-zero with findings at
/// error level or a usage problem.
@main
struct ContractLintPlugin: CommandPlugin {
    struct TargetConfiguration: Decodable {
        var contracts: String
    }

    enum PluginError: Error, CustomStringConvertible {
        case noContracts(String)
        case findings(Int32)

        var description: String {
            switch self {
            case .noContracts(let package):
                "\(package): no contracts to lint (no contracts/ directory, no target with a contractgen.json); pass paths"
            case .findings(let status):
                "contract-lint failed (contractgen lint exited with \(status))"
            }
        }
    }

    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let formats = extractor.extractOption(named: "format")
        let configs = extractor.extractOption(named: "config")
        let targetNames = extractor.extractOption(named: "target")
        let packageDirectory = context.package.directoryURL
        // contractgen runs in the package directory, so relative paths print as they are written.
        var paths = extractor.remainingArguments
        if paths.isEmpty {
            paths = Self.contractPaths(of: context.package, targets: targetNames)
        }
        guard !paths.isEmpty else { throw PluginError.noContracts(packageDirectory.path) }

        var toolArguments = ["lint"] + paths
        if let format = formats.last { toolArguments += ["--format", format] }
        if let config = configs.last {
            toolArguments += ["--config", config]
        }
        let process = Process()
        process.executableURL = try context.tool(named: "contractgen").url
        process.arguments = toolArguments
        process.currentDirectoryURL = packageDirectory
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PluginError.findings(process.terminationStatus) }
    }

    /// `contracts/` of the package, then each (selected) target's configured contracts, deduplicated,
    /// relative to the package directory.
    static func contractPaths(of package: Package, targets names: [String]) -> [String] {
        let base = package.directoryURL.standardizedFileURL.path + "/"
        var paths: [String] = []
        if names.isEmpty, FileManager.default.fileExists(atPath: base + "contracts") { paths.append("contracts") }
        for target in package.targets where names.isEmpty || names.contains(target.name) {
            guard let target = target as? SourceModuleTarget else { continue }
            let configURL = target.directoryURL.appending(path: "contractgen.json")
            guard let data = FileManager.default.contents(atPath: configURL.path),
                  let configuration = try? JSONDecoder().decode(TargetConfiguration.self, from: data)
            else { continue }
            var path = target.directoryURL.appending(path: configuration.contracts).standardizedFileURL.path
            if path.hasPrefix(base) { path.removeFirst(base.count) }
            if !paths.contains(path) { paths.append(path) }
        }
        return paths
    }
}
