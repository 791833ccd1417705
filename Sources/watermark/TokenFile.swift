import ContractClient
import Foundation

/// Where `watermark login` keeps the session and `watermark submit` finds it: a JSON file with the
/// access and refresh tokens (mode 0600), rewritten whenever the tokens rotate.
struct TokenFile {
    let path: String

    /// `--token-file`, else `$WATERMARK_TOKEN_FILE`, else `~/.config/watermark/tokens.json`.
    init(_ explicit: String?) {
        if let explicit {
            path = explicit
        } else if let environment = ProcessInfo.processInfo.environment["WATERMARK_TOKEN_FILE"], !environment.isEmpty {
            path = environment
        } else {
            path = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config/watermark/tokens.json").path
        }
    }

    func read() throws -> TokenSession.Tokens {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(.signIn, "no session in \(path): run `watermark login --server URL --email ADDRESS` first")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let access = object["accessToken"] as? String, let refresh = object["refreshToken"] as? String else {
            throw CommandFailure(.signIn, "\(path) is not a token file (expected {\"accessToken\": …, \"refreshToken\": …})")
        }
        return TokenSession.Tokens(accessToken: access, refreshToken: refresh)
    }

    /// Writes the tokens (or removes the file when the session ended).
    func write(_ tokens: TokenSession.Tokens?) {
        guard let tokens else {
            try? FileManager.default.removeItem(atPath: path)
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let object = ["accessToken": tokens.accessToken, "refreshToken": tokens.refreshToken]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        let temporary = path + ".tmp"
        _ = FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
        _ = try? FileManager.default.replaceItemAt(URL(fileURLWithPath: path), withItemAt: URL(fileURLWithPath: temporary))
        if !FileManager.default.fileExists(atPath: path) { try? FileManager.default.moveItem(atPath: temporary, toPath: path) }
    }
}
