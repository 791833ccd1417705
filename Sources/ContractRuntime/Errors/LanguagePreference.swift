/// The languages a client accepts, best first, parsed from `Accept-Language`.
public struct LanguagePreference: Sendable, Hashable {
    public var tags: [String]

    public static let english = LanguagePreference(tags: ["en"])

    public init(tags: [String]) {
        self.tags = tags
    }

    /// Parses `zh-CN,zh;q=0.9,en;q=0.8`; malformed entries are ignored.
    public init(acceptLanguage header: String?) {
        guard let header, !header.isEmpty else {
            self = .english
            return
        }
        var weighted: [(tag: String, q: Double, order: Int)] = []
        for (order, part) in header.split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty, tag != "*" else { continue }
            var q = 1.0
            for piece in pieces.dropFirst() where piece.hasPrefix("q=") {
                q = Double(piece.dropFirst(2)) ?? 0
            }
            if q > 0 { weighted.append((tag, q, order)) }
        }
        let sorted = weighted.sorted { $0.q != $1.q ? $0.q > $1.q : $0.order < $1.order }.map(\.tag)
        tags = sorted.isEmpty ? ["en"] : sorted
    }
}

import Foundation
