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

    /// The line of `index.html` replaced by a `modulepreload` link for every module, so the browser
    /// fetches the whole module graph at once instead of one level of imports after another.
    static let preloadMarker = "<!-- modulepreload: every module of the app, listed by the server when it loads the app -->"

    /// Every file under `directory`; `index.html` is also served as `/`, with the modules preloaded.
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
            let modules = files.keys.filter { $0.hasSuffix(".js") }.sorted()
            let links = modules.map { "<link rel=\"modulepreload\" href=\"\($0)\">" }.joined(separator: "\n")
            let html = String(decoding: page, as: UTF8.self).replacingOccurrences(of: preloadMarker, with: links)
            let asset = WebAsset(bytes: Data(html.utf8), contentType: WebAsset.contentType(ofFile: "index.html"))
            files["/"] = asset
            files["/index.html"] = asset
        }
        return WebAssets(files: files)
    }
}
