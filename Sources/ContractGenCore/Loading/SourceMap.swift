import Yams

/// Maps every node of the bundled document back to the contract file and line it came from.
///
/// The bundler records, for each subtree it copied out of a file, the pointer where the subtree
/// now lives; a node's file is the one recorded for its nearest such ancestor, and its line and
/// column are the YAML marks the parser attached to it.
public struct SourceMap {
    private var files: [JSONPointer: String] = [:]
    private let rootFile: String

    init(rootFile: String) {
        self.rootFile = rootFile
    }

    mutating func record(_ pointer: JSONPointer, file: String) {
        files[pointer] = file
    }

    /// The file the node at `pointer` was read from.
    public func file(of pointer: JSONPointer) -> String {
        // A single-file contract: nothing was copied from elsewhere.
        if files.isEmpty { return rootFile }
        var current: JSONPointer? = pointer
        while let p = current {
            if let file = files[p] { return file }
            current = p.parent
        }
        return rootFile
    }

    /// The location of the node at `pointer` in `document`, or of its nearest existing ancestor.
    public func location(of pointer: JSONPointer, in document: Node) -> SourceLocation {
        var node = document
        var mark = document.mark
        var walked: [String] = []
        for token in pointer.tokens {
            guard let child = node.child(token) else { break }
            node = child
            walked.append(token)
            if let m = child.mark { mark = m }
        }
        let file = self.file(of: JSONPointer(walked))
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }
}

extension Node {
    /// The child at one pointer token: a mapping key or a sequence index.
    func child(_ token: String) -> Node? {
        switch self {
        case .mapping(let mapping):
            // By index: iterating a `Node.Mapping` copies all its pairs first. The scalar text is
            // compared directly (`Node.string` resolves tags first).
            for index in mapping.indices {
                let pair = mapping[index]
                if case .scalar(let key) = pair.key, key.string == token { return pair.value }
            }
            return nil
        case .sequence(let sequence):
            guard let index = Int(token), index >= 0, index < sequence.count else { return nil }
            return sequence[index]
        default:
            return nil
        }
    }

    /// The entries of each `components/<kind>` map by name, for lookups that would otherwise scan
    /// thousands of entries per `$ref` (OpenAI's description has 1,400 schemas).
    func componentIndex() -> [String: [String: Node]] {
        var index: [String: [String: Node]] = [:]
        for (kind, entries) in child("components")?.pairs ?? [] {
            index[kind] = Dictionary(entries.pairs, uniquingKeysWith: { first, _ in first })
        }
        return index
    }

    /// The node at `tokens`, looking `components/<kind>/<name>` up in `index` (see `componentIndex`).
    func descendant(_ tokens: [String], index: [String: [String: Node]]) -> Node? {
        guard tokens.count >= 3, tokens[0] == "components", let entries = index[tokens[1]] else {
            return descendant(JSONPointer(tokens))
        }
        guard var node = entries[tokens[2]] else { return nil }
        for token in tokens.dropFirst(3) {
            guard let child = node.child(token) else { return nil }
            node = child
        }
        return node
    }

    /// The node at `pointer`, if every token exists.
    func descendant(_ pointer: JSONPointer) -> Node? {
        var node = self
        for token in pointer.tokens {
            guard let child = node.child(token) else { return nil }
            node = child
        }
        return node
    }
}
