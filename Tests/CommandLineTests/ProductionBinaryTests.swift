import Foundation
import Testing

/// The `watermark` binary a user runs carries no test support: the generated negative contract
/// cases and their vocabulary live in targets only the tests link.
@Suite("the production binary")
struct ProductionBinaryTests {
    /// `name` on the PATH.
    static func tool(_ name: String) -> BuiltExecutable? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        return directories.map { BuiltExecutable(path: "\($0)/\(name)") }.first { $0.isBuilt }
    }

    /// The demangled names of the binary's symbols whose mangled form contains one of `words`.
    static func symbols(of binary: String, containing words: [String]) throws -> [String] {
        let nm = try #require(tool("nm"), "nm (binutils) is not on the PATH")
        let demangle = try #require(tool("swift-demangle"), "swift-demangle (the Swift toolchain) is not on the PATH")
        let listed = try nm.run([binary])
        try #require(listed.status == 0, "nm failed: \(listed.stderr)")
        let mangled = listed.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
            .filter { name in name.hasPrefix("$s") && words.contains { name.contains($0) } }
        guard !mangled.isEmpty else { return [] }
        return try demangle.run(["--simplified"] + mangled.prefix(500)).stdout.split(separator: "\n").map(String.init)
    }

    @Test func watermarkLinksNoTestSupport() throws {
        let watermark = BuiltExecutable("watermark")
        try #require(watermark.isBuilt, "\(watermark.path) is missing: run `swift build` before the tests")
        let found = try Self.symbols(of: watermark.path, containing: ["PathTable", "Violation", "Cases"])
        // The control: the server's types are there to find.
        #expect(found.contains { $0.contains("ContractPathTable.allowedMethods") }, "\(found.prefix(5))")
        #expect(!found.contains { $0.contains("ContractViolation") }, "the contract cases' vocabulary is linked")
        #expect(!found.contains { $0.contains("ContractCases.") }, "the generated contract cases are linked")
    }
}
