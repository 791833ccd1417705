import Foundation

/// The web app's files, read once from the bundled `app` directory: the pages, styles and modules
/// written by hand, and the generated TypeScript client under `client/`. Keyed by URL path (`/`,
/// `/js/main.js`, `/client/index.js`).
public struct WebAssets: Sendable {
    public let files: [String: WebAsset]

    public init(files: [String: WebAsset]) {
        self.files = files
    }

    /// The app bundled with this module.
    public static func bundled() throws -> WebAssets {
        guard let directory = Bundle.module.url(forResource: "app", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the web app is missing from the watermark installation"])
        }
        return try load(directory: directory)
    }

    /// Every file under `directory`; `index.html` is also served as `/`.
    public static func load(directory: URL) throws -> WebAssets {
        var files: [String: WebAsset] = [:]
        let root = directory.standardizedFileURL.resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return WebAssets(files: [:]) }
        for case let relative as String in enumerator {
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") })
            else { continue }
            let asset = WebAsset(bytes: try Data(contentsOf: URL(fileURLWithPath: path)), contentType: WebAsset.contentType(ofFile: relative))
            files["/" + relative] = asset
            if relative == "index.html" { files["/"] = asset }
        }
        return WebAssets(files: files)
    }
}
