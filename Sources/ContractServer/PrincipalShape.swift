import Foundation

/// What a security scheme's principal must look like (`x-principal` on the scheme): the format of
/// its subject and the claims it carries. The server refuses a principal that does not fit (40101)
/// before any handler runs, so the generated typed principal of the scheme can always be made.
public struct PrincipalShape: Sendable, Hashable {
    /// How a subject or claim is written.
    public enum Format: Sendable, Hashable {
        /// Any text.
        case text
        /// A UUID (`format: uuid`).
        case uuid

        /// Whether `value` is written this way.
        public func admits(_ value: String) -> Bool {
            switch self {
            case .text: true
            case .uuid: UUID(uuidString: value) != nil
            }
        }
    }

    public var subject: Format
    /// The claims every principal of the scheme carries, by name.
    public var claims: [String: Format]

    public init(subject: Format, claims: [String: Format] = [:]) {
        self.subject = subject
        self.claims = claims
    }

    /// Why `principal` does not fit (nil when it does).
    public func mismatch(_ principal: Principal) -> String? {
        if !subject.admits(principal.subject) { return "its subject is not a \(subject)" }
        for (name, format) in claims.sorted(by: { $0.key < $1.key }) {
            guard let value = principal.claims[name] else { return "it has no \(name) claim" }
            if !format.admits(value) { return "its \(name) claim is not a \(format)" }
        }
        return nil
    }
}
