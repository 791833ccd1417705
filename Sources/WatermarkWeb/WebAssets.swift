import Foundation

/// The web app's files, read once from the bundled `app` directory: the pages, styles and modules
/// written by hand, and the generated TypeScript client under `client/`. Keyed by URL path (`/`,
/// `/js/main.js`, `/client/index.js`).
public struct WebAssets: Sendable {
    public let files: [String: WebAsset]

    public init(files: [String: WebAsset]) {
        self.files = files
    }

    /// The app bundled with this module, read (and compressed) once per process.
    public static func bundled() throws -> WebAssets {
        try loadedBundle.get()
    }

    private static let loadedBundle = Result<WebAssets, any Error> {
        guard let directory = Bundle.module.url(forResource: "app", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the web app is missing from the watermark installation"])
        }
        return try load(directory: directory)
    }

    /// The line of `index.html` replaced by a `modulepreload` link for every module the first page needs (`/js/main.js`
    /// and what it imports, statically, level after level), so the browser fetches them at once instead of one level
    /// of imports after another. Pages the app imports when they are first shown are not preloaded.
    static let preloadMarker = "<!-- modulepreload: the modules of the first page, listed by the server when it loads the app -->"

    /// The module every page starts from.
    static let entryModule = "/js/main.js"

    /// Every file under `directory`; `index.html` is also served as `/`, with the first page's modules preloaded.
    public static func load(directory: URL) throws -> WebAssets {
        var files: [String: WebAsset] = [:]
        var page: Data?
        let root = directory.standardizedFileURL.resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return WebAssets(files: [:]) }
        for case let relative as String in enumerator {
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") })
            else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            if relative == "index.html" {
                page = bytes
                continue
            }
            files["/" + relative] = WebAsset(bytes: bytes, contentType: WebAsset.contentType(ofFile: relative))
        }
        if let page {
            let modules = staticImports(from: entryModule, in: files).sorted()
            let links = modules.map { "<link rel=\"modulepreload\" href=\"\($0)\">" }.joined(separator: "\n")
            let html = String(decoding: page, as: UTF8.self).replacingOccurrences(of: preloadMarker, with: links)
            let asset = WebAsset(bytes: Data(html.utf8), contentType: WebAsset.contentType(ofFile: "index.html"))
            files["/"] = asset
            files["/index.html"] = asset
        }
        return WebAssets(files: files)
    }

    /// `entry` and every module it reaches through static `import … from "…"` / `export … from "…"` statements (dynamic
    /// `import("…")` is left out): URL paths of files present in `files`.
    static func staticImports(from entry: String, in files: [String: WebAsset]) -> Set<String> {
        let statement = /(?m)^\s*(?:import|export)\b[^"'();]*?(?:\bfrom\s*)?["']([^"']+)["']/
        var reached: Set<String> = [], pending = [entry]
        while let path = pending.popLast() {
            guard !reached.contains(path), let asset = files[path] else { continue }
            reached.insert(path)
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            for match in String(decoding: asset.bytes, as: UTF8.self).matches(of: statement) {
                pending.append(URL(fileURLWithPath: String(match.1), relativeTo: directory).standardizedFileURL.path)
            }
        }
        return reached
    }
}
