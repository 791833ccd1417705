import Yams

/// Composes a large block-style YAML document on both cores: the text is cut at a mapping key
/// near its middle, the two parts are parsed at the same time, and their trees are joined.
///
/// Parsing is the one step of loading that cannot start before the whole text is read, and on a
/// multi-megabyte description it is a third of `contractgen lint`'s time. The cut is made only
/// where the result is certainly the same tree as one parse would give:
/// - the cut line is a bare `key:` line whose parents (found by indentation) are bare `key:`
///   lines up to column 0, so the tail part is that chain of keys followed by the rest of the
///   text, with blank lines in front so every line keeps its number;
/// - anything the cut could split (a quoted or flow scalar running over lines, an anchor used
///   after the cut) makes one of the parts fail to parse, and then the whole text is parsed
///   once more in one piece, which also reports real syntax errors exactly as before;
/// - keys that the join puts into one mapping must be unique, as within one parse.
/// Documents with directives, several documents or CR line ends are parsed in one piece.
enum SplitYAMLComposer {
    /// Below this size one parse is quick enough that a second thread is not worth starting.
    static let minimumSize = 256 * 1024

    static func compose(_ text: String, minimumSize: Int = minimumSize) throws -> Node? {
        guard text.utf8.count >= minimumSize, let cut = Cut.find(in: text) else {
            return try Yams.compose(yaml: text, .basic)
        }
        // Each part has its own resolver and constructor: every node's tag holds both, and two
        // threads counting references on the same objects slow each other down twice over.
        let tail = BackgroundWork { Result { try Yams.compose(yaml: cut.tail, Resolver.basic.removing(.str), Constructor()) } }
        let head = Result { try Yams.compose(yaml: cut.head, Resolver.basic.removing(.str), Constructor()) }
        if case .success(let headNode?) = head, case .success(let tailNode?) = tail.wait(),
           let joined = join(headNode, tailNode, along: cut.parents[...]) {
            return joined
        }
        return try Yams.compose(yaml: text, .basic)
    }

    /// `tail`'s pairs appended to `head`'s; along `parents`, the last key of `head` and the first
    /// of `tail` are the same key (the tail repeats the chain of parents) and are joined in turn.
    static func join(_ head: Node, _ tail: Node, along parents: ArraySlice<String>) -> Node? {
        guard case .mapping(let headMapping) = head, case .mapping(let tailMapping) = tail else { return nil }
        var pairs = headMapping.map { ($0.key, $0.value) }
        var rest = tailMapping.map { ($0.key, $0.value) }[...]
        if let parent = parents.first {
            guard let last = pairs.last, let first = rest.first,
                  last.0.scalar?.string == parent, first.0.scalar?.string == parent,
                  let joined = join(last.1, first.1, along: parents.dropFirst()) else { return nil }
            pairs[pairs.count - 1].1 = joined
            rest = rest.dropFirst()
        }
        pairs.append(contentsOf: rest)
        var keys = Set<String>()
        for (key, _) in pairs {
            guard let name = key.scalar?.string, keys.insert(name).inserted else { return nil }
        }
        return .mapping(Node.Mapping(pairs, headMapping.tag, headMapping.style, headMapping.mark))
    }

    /// Where the text is cut: the head is everything before the cut line; the tail is blank lines,
    /// the cut line's parent keys, and the cut line onwards.
    struct Cut {
        var head: String
        var tail: String
        /// The keys from column 0 down to the cut line's parent.
        var parents: [String]

        static func find(in text: String) -> Cut? {
            let bytes = Array(text.utf8)
            guard !bytes.contains(UInt8(ascii: "\r")) else { return nil }
            var lineStarts = [0]
            for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") && offset + 1 < bytes.count {
                lineStarts.append(offset + 1)
            }
            func line(_ index: Int) -> Line {
                Line(bytes: bytes, start: lineStarts[index], end: index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.count)
            }
            let startsMarker = lineStarts.contains { start in
                bytes[start] == UInt8(ascii: "%") || bytes[start...].starts(with: "---".utf8) || bytes[start...].starts(with: "...".utf8)
            }
            guard !startsMarker, let firstContent = lineStarts.indices.lazy.map(line).first(where: { !$0.isBlankOrComment }),
                  firstContent.indent == 0, firstContent.startsPlainKey else { return nil }

            // The middle line rather than the middle byte: parsing time follows the number of
            // keys and values more closely than the length of their text.
            let middle = lineStarts.count / 2
            for index in middle..<min(lineStarts.count, middle + lineStarts.count / 4) {
                guard let chain = parents(of: index, line: line) else { continue }
                let head = String(decoding: bytes[..<lineStarts[index]], as: UTF8.self)
                var tail = String(repeating: "\n", count: index - chain.count)
                for parent in chain { tail += String(decoding: bytes[parent.start..<parent.end], as: UTF8.self) }
                tail += String(decoding: bytes[lineStarts[index]...], as: UTF8.self)
                return Cut(head: head, tail: tail, parents: chain.compactMap(\.bareKey))
            }
            return nil
        }

        /// The bare-key lines enclosing line `index`, outermost first, when the line itself is a
        /// bare key with content before it below the same parent (not its parent's first child).
        private static func parents(of index: Int, line: (Int) -> Line) -> [Line]? {
            let cutLine = line(index)
            guard cutLine.bareKey != nil else { return nil }
            var chain: [Line] = []
            var indent = cutLine.indent
            var sawSibling = false
            var previous = index - 1
            while previous >= 0, indent > 0 || !sawSibling {
                let candidate = line(previous)
                previous -= 1
                if candidate.isBlankOrComment { continue }
                if candidate.indent >= indent {
                    sawSibling = true
                    continue
                }
                guard sawSibling, candidate.bareKey != nil else { return nil }
                chain.insert(candidate, at: 0)
                indent = candidate.indent
            }
            guard indent == 0, sawSibling else { return nil }
            return chain
        }
    }

    /// One line of the text, as byte offsets, with what the cut needs to know about it.
    struct Line {
        let bytes: [UInt8]
        let start: Int
        let end: Int
        let indent: Int
        let isBlankOrComment: Bool
        /// The text after the indentation, without the line end.
        private let content: Range<Int>

        init(bytes: [UInt8], start: Int, end: Int) {
            self.bytes = bytes
            self.start = start
            self.end = end
            var position = start
            while position < end, bytes[position] == UInt8(ascii: " ") { position += 1 }
            indent = position - start
            let contentEnd = end > start && bytes[end - 1] == UInt8(ascii: "\n") ? end - 1 : end
            content = position..<contentEnd
            isBlankOrComment = content.isEmpty || bytes[position] == UInt8(ascii: "#")
        }

        /// The key when the line is `key:` with nothing after the colon but spaces or a comment.
        var bareKey: String? {
            isBlankOrComment ? nil : Self.bareKey(bytes[content])
        }

        /// Whether the line starts with a plain mapping key (`key:` or `key: value`).
        var startsPlainKey: Bool {
            !isBlankOrComment && Self.plainKey(bytes[content]) != nil
        }

        /// `name:` where the name is plain and nothing but spaces or a comment follows.
        private static func bareKey(_ content: ArraySlice<UInt8>) -> String? {
            guard let colon = plainKey(content) else { return nil }
            let after = content[(colon + 1)...].drop { $0 == UInt8(ascii: " ") }
            guard after.isEmpty || after.first == UInt8(ascii: "#") && content[colon + 1] == UInt8(ascii: " ") else { return nil }
            return String(decoding: content[content.startIndex..<colon], as: UTF8.self)
        }

        /// The colon after a plain key at the start of `content` (no indicator first; no quote,
        /// `#` or tab in the name; a space or the line end after the colon).
        private static func plainKey(_ content: ArraySlice<UInt8>) -> Int? {
            guard let colon = content.firstIndex(of: UInt8(ascii: ":")), colon > content.startIndex,
                  let first = content.first, !"-?:,[]{}#&*!|>'\"%@`\t".utf8.contains(first),
                  colon + 1 == content.endIndex || content[colon + 1] == UInt8(ascii: " ") else { return nil }
            let name = content[content.startIndex..<colon]
            guard !name.contains(where: { $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "\t") }),
                  name.last != UInt8(ascii: " ") else { return nil }
            return colon
        }
    }
}
