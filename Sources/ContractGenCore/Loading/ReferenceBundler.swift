import Foundation
import Yams

/// One OpenAPI document whose `$ref`s across files have been resolved into a single tree.
public struct BundledDocument {
    /// The bundled tree: only local `#/...` references remain.
    public var root: Node
    public var sourceMap: SourceMap
    /// The root file as given.
    public var rootFile: String
    /// Every file read, in the order first read.
    public var files: [String]
    /// The `openapi` version string of the root document.
    public var openAPIVersion: String
    /// `components/<kind>/<name>` → node of `root`, for fast `$ref` resolution.
    let componentIndex: [String: [String: Node]]
    /// `root` as compact JSON text (what the generated server publishes as `/openapi.json`), rendered once, by
    /// whoever asks first.
    public var json: String { renderedJSON.get() }
    private let renderedJSON: ComputedOnce<String>
    /// The components declared in the other files, per file (in the order first read).
    var externalComponents: [(file: String, components: [ExternalComponent])] = []
    /// `file#pointer` of every object the bundler hoisted into the root's components.
    var hoisted: Set<String> = []
    /// `[kind, name]` of every `components` entry a `$ref` or a discriminator mapping of the
    /// bundled document names.
    var referencedComponents: Set<[String]> = []
    /// Whether any object carries `x-lint-ignore` (so lint looks for suppressions only then).
    var hasLintSuppressions = false

    /// A `components/<kind>/<name>` entry of a file other than the root.
    struct ExternalComponent {
        var kind: String
        var name: String
        /// `file#/components/kind/name`, as in `hoisted`.
        var key: String
        var location: SourceLocation
    }

    init(root: Node, sourceMap: SourceMap, rootFile: String, files: [String], openAPIVersion: String) {
        self.root = root
        self.sourceMap = sourceMap
        self.rootFile = rootFile
        self.files = files
        self.openAPIVersion = openAPIVersion
        componentIndex = root.componentIndex()
        renderedJSON = ComputedOnce { JSONRendering.render(root, compact: true) }
    }

    /// The node at `pointer` of the bundled tree.
    public func node(at pointer: JSONPointer) -> Node? {
        root.descendant(pointer.tokens, index: componentIndex)
    }

    public func location(of pointer: JSONPointer) -> SourceLocation {
        sourceMap.location(of: pointer, in: root)
    }

    /// The location of `node`, which lives at `pointer`: its own YAML mark, and the file recorded
    /// for the pointer (no walk from the root, so it is cheap enough to call for every schema).
    public func location(of pointer: JSONPointer, node: Node) -> SourceLocation {
        guard let mark = node.mark else { return location(of: pointer) }
        return SourceLocation(file: sourceMap.file(of: pointer), line: mark.line, column: mark.column)
    }
}

/// Resolves a multi-file OpenAPI description into one document, the way `redocly bundle` does.
///
/// External references to schemas and to `components/*` entries are hoisted into the root's
/// `components` under their own names (deduplicated, deterministic); any other external
/// reference (a path item, a fragment of another file) is inlined. Local references of the root
/// stay as they are. Each copied subtree is recorded in the source map so diagnostics point at
/// the file and line the contract author wrote.
public final class ReferenceBundler {
    private enum Context {
        case schema, schemaMap, schemaList, data, other
    }

    private struct Hoisted {
        var kind: String
        var name: String
    }

    private var diagnostics = DiagnosticCollector()
    private var cache: [String: Node] = [:]
    /// Per loaded file, its components by kind and name (built on first use).
    private var componentIndexes: [String: [String: [String: Node]]] = [:]
    private var fileOrder: [String] = []
    private var hoisted: [String: Hoisted] = [:]
    private var usedNames: [String: Set<String>] = [:]
    private var pending: [String: [(String, Node)]] = [:]
    private var pendingKinds: [String] = []
    private var inlineStack: [String] = []
    private var sourceMap: SourceMap
    private let rootFile: String
    private let rootKey: String
    private var isOpenAPI30 = false
    private var referencedComponents: Set<[String]> = []
    private var sawLintSuppression = false
    /// Relative paths are taken from here (read once; every `$ref` names a file).
    private let workingDirectory = FileManager.default.currentDirectoryPath
    /// Path as written → absolute path without `.` and `..`.
    private var canonicalPaths: [String: String] = [:]

    public init(rootFile: String) {
        self.rootFile = rootFile
        self.rootKey = Self.normalize(rootFile.hasPrefix("/") ? rootFile : workingDirectory + "/" + rootFile)
        self.sourceMap = SourceMap(rootFile: rootFile)
    }

    /// Bundles the root file; diagnostics describe unreadable files and unresolvable references.
    public func bundle() -> (BundledDocument?, [Diagnostic]) {
        guard let root = load(rootFile, referencedFrom: nil) else {
            return (nil, diagnostics.diagnostics)
        }
        guard case .mapping(let rootMapping) = root else {
            diagnostics.error("the root of an OpenAPI document must be a mapping", at: location(root, file: rootFile))
            return (nil, diagnostics.diagnostics)
        }
        let version = root.child("openapi")?.string ?? root.child("swagger")?.string ?? ""
        if root.child("swagger") != nil {
            diagnostics.error("Swagger 2.0 documents are not supported; convert to OpenAPI 3.x", at: location(root, file: rootFile), rule: "unsupported")
            return (nil, diagnostics.diagnostics)
        }
        isOpenAPI30 = version.hasPrefix("3.0")

        // Names the root already uses are taken; root components that are only a `$ref` to
        // another file take that file's content under their own name.
        var aliasTargets: [JSONPointer: (file: String, fragment: String)] = [:]
        if let components = root.child("components")?.mapping {
            for (kindNode, entries) in components {
                guard let kind = kindNode.string, let entries = entries.mapping else { continue }
                for (nameNode, value) in entries {
                    guard let name = nameNode.string else { continue }
                    usedNames[kind, default: []].insert(name)
                    if let ref = value.child("$ref")?.string, value.mapping?.count == 1,
                       let (file, fragment) = split(ref, from: rootFile), canonical(file) != rootKey {
                        hoisted[key(file, fragment)] = Hoisted(kind: kind, name: name)
                        aliasTargets[JSONPointer(["components", kind, name])] = (file, fragment)
                    }
                }
            }
        }

        var pairs: [(Node, Node)] = []
        for (keyNode, value) in rootMapping {
            let token = keyNode.string ?? ""
            let pointer = JSONPointer([token])
            if token == "components", case .mapping(let components) = value {
                var kindPairs: [(Node, Node)] = []
                for (kindNode, entries) in components {
                    let kind = kindNode.string ?? ""
                    guard case .mapping(let entryMapping) = entries else {
                        kindPairs.append((kindNode, entries))
                        continue
                    }
                    var entryPairs: [(Node, Node)] = []
                    for (nameNode, entry) in entryMapping {
                        let entryPointer = JSONPointer(["components", kind, nameNode.string ?? ""])
                        let context: Context = kind == "schemas" ? .schema : .other
                        if let (file, fragment) = aliasTargets[entryPointer],
                           let target = resolve(file: file, fragment: fragment, referencedFrom: location(entry, file: rootFile)) {
                            sourceMap.record(entryPointer, file: file)
                            entryPairs.append((nameNode, rewrite(target, file: file, pointer: entryPointer, context: context)))
                        } else {
                            entryPairs.append((nameNode, rewrite(entry, file: rootFile, pointer: entryPointer, context: context)))
                        }
                    }
                    kindPairs.append((kindNode, .mapping(Node.Mapping(entryPairs, entryMapping.tag, entryMapping.style, entryMapping.mark))))
                }
                pairs.append((keyNode, .mapping(Node.Mapping(kindPairs, components.tag, components.style, components.mark))))
            } else {
                pairs.append((keyNode, rewrite(value, file: rootFile, pointer: pointer, context: .other)))
            }
        }
        pairs = mergePendingComponents(into: pairs)
        let bundled = Node.mapping(Node.Mapping(pairs, rootMapping.tag, rootMapping.style, rootMapping.mark))
        var document = BundledDocument(
            root: bundled, sourceMap: sourceMap, rootFile: rootFile, files: fileOrder, openAPIVersion: version)
        document.hoisted = Set(hoisted.keys)
        document.referencedComponents = referencedComponents
        document.hasLintSuppressions = sawLintSuppression
        for file in fileOrder where canonical(file) != rootKey {
            var components: [BundledDocument.ExternalComponent] = []
            for (kind, entries) in cache[canonical(file)]?.child("components")?.pairs ?? [] {
                for (name, node) in entries.pairs {
                    components.append(BundledDocument.ExternalComponent(
                        kind: kind, name: name, key: key(file, JSONPointer(["components", kind, name]).description), location: location(node, file: file)))
                }
            }
            document.externalComponents.append((file, components))
        }
        return (document, diagnostics.diagnostics)
    }

    // MARK: - Rewriting

    private func rewrite(_ node: Node, file: String, pointer: JSONPointer, context: Context) -> Node {
        var path = pointer.tokens
        return rewritten(node, file: file, path: &path, context: context) ?? node
    }

    /// `node` with its references resolved, or nil when nothing in it changes (most of a contract:
    /// unchanged subtrees are shared, not rebuilt). `path` is the node's pointer as a stack of
    /// tokens; a `JSONPointer` is made only where one is needed. Values (examples, defaults,
    /// enums, extensions) hold no references and are kept as they are.
    private func rewritten(_ node: Node, file: String, path: inout [String], context: Context) -> Node? {
        if context == .data { return nil }
        switch node {
        case .mapping(let mapping):
            if let ref = node.child("$ref")?.string {
                let pointer = JSONPointer(path)
                if !Self.allowsReference(at: pointer, context: context) {
                    diagnostics.warning(
                        "$ref is not allowed at \(pointer) (OpenAPI allows references only to schemas, parameters, responses, request bodies, headers, examples, links, callbacks and path items)",
                        at: location(node.child("$ref") ?? node, file: file), rule: "ref-allowed")
                }
                let resolved = resolveReference(ref, in: node, file: file, pointer: pointer, context: context)
                if let target = resolved.child("$ref")?.string { noteReference(target) }
                return resolved
            }
            var pairs: [(Node, Node)]?
            for index in mapping.indices {
                let (keyNode, value) = mapping[index]
                let token = keyNode.string ?? ""
                if token == "x-lint-ignore" { sawLintSuppression = true }
                let childContext = childContext(of: context, key: token, parent: path.last)
                path.append(token)
                let child = rewritten(value, file: file, path: &path, context: childContext)
                path.removeLast()
                if child != nil, pairs == nil { pairs = mapping[..<index].map { ($0.key, $0.value) } }
                pairs?.append((keyNode, child ?? value))
            }
            if context == .schema {
                let upgrade = isOpenAPI30 && (node.child("exclusiveMinimum") != nil || node.child("exclusiveMaximum") != nil)
                if upgrade || node.child("discriminator") != nil {
                    var all = pairs ?? mapping.map { ($0.key, $0.value) }
                    if upgrade { all = Self.upgradeExclusiveBounds(all) }
                    if let index = all.firstIndex(where: { $0.0.string == "discriminator" }) {
                        all[index].1 = rewriteDiscriminatorMapping(all[index].1, file: file, pointer: JSONPointer(path).appending("discriminator"))
                    }
                    pairs = all
                }
            }
            return pairs.map { .mapping(Node.Mapping($0, mapping.tag, mapping.style, mapping.mark)) }
        case .sequence(let sequence):
            let elementContext: Context = context == .schemaList ? .schema : .other
            var nodes: [Node]?
            for index in sequence.indices {
                path.append(String(index))
                let child = rewritten(sequence[index], file: file, path: &path, context: elementContext)
                path.removeLast()
                if child != nil, nodes == nil { nodes = Array(sequence[..<index]) }
                nodes?.append(child ?? sequence[index])
            }
            return nodes.map { .sequence(Node.Sequence($0, sequence.tag, sequence.style, sequence.mark)) }
        default:
            return nil
        }
    }

    private func childContext(of context: Context, key: String, parent: String?) -> Context {
        switch context {
        case .data:
            return .data
        case .schemaMap:
            return .schema
        case .schemaList:
            return .schema
        case .schema:
            switch key {
            case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas":
                return .schemaMap
            case "items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames",
                 "unevaluatedProperties", "unevaluatedItems", "additionalItems", "contentSchema":
                return .schema
            case "allOf", "oneOf", "anyOf", "prefixItems":
                return .schemaList
            case "example", "examples", "default", "enum", "const":
                return .data
            default:
                return key.hasPrefix("x-") ? .data : .other
            }
        case .other:
            switch key {
            case "schema":
                return .schema
            case "schemas" where parent == "components":
                return .schemaMap
            // `responses: {default: …}` is a response, not a value.
            case "default" where parent == "responses":
                return .other
            case "example", "value", "default", "enum", "const":
                return .data
            // The schema of each server-sent event's `data` (ours; OpenAPI 3.1 has no place for it).
            case "x-event-schema":
                return .schema
            default:
                return key.hasPrefix("x-") ? .data : .other
            }
        }
    }

    /// Discriminator mapping values may be references into other files
    /// (`models/x.yml#/a`); they are rewritten to the hoisted component, like a `$ref`.
    /// Bare schema names and local references stay as they are.
    private func rewriteDiscriminatorMapping(_ discriminator: Node, file: String, pointer: JSONPointer) -> Node {
        guard case .mapping(var outer) = discriminator, let mappingNode = outer["mapping"], case .mapping(let mapping) = mappingNode else {
            return discriminator
        }
        var pairs: [(Node, Node)] = []
        for (key, value) in mapping {
            guard let ref = value.string, !ref.hasPrefix("#"), ref.contains("#") || ref.contains("/") || ref.hasSuffix(".yaml") || ref.hasSuffix(".yml") || ref.hasSuffix(".json") else {
                pairs.append((key, value))
                continue
            }
            let synthetic = Node.mapping(Node.Mapping([(Node("$ref"), value)], .implicit, .any, value.mark))
            let resolved = resolveReference(ref, in: synthetic, file: file, pointer: pointer.appending("mapping").appending(key.string ?? ""), context: .schema)
            pairs.append((key, resolved.child("$ref") ?? value))
        }
        for (_, value) in pairs {
            guard let target = value.string else { continue }
            // A bare name is a schema's name.
            if target.hasPrefix("#") { noteReference(target) } else if !target.contains("/") { referencedComponents.insert(["schemas", target]) }
        }
        outer["mapping"] = .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        return .mapping(outer)
    }

    /// Records the component a local reference (`#/components/<kind>/<name>…`) names.
    private func noteReference(_ ref: String) {
        guard ref.hasPrefix("#/components/") else { return }
        let tokens = JSONPointer(parsing: ref).tokens
        if tokens.count >= 3 { referencedComponents.insert([tokens[1], tokens[2]]) }
    }

    private func resolveReference(_ ref: String, in node: Node, file: String, pointer: JSONPointer, context: Context) -> Node {
        let refLocation = location(node.child("$ref") ?? node, file: file)
        guard let (targetFile, fragment) = split(ref, from: file) else {
            diagnostics.error("cannot resolve $ref '\(ref)'", at: refLocation, rule: "ref-resolves")
            return node
        }
        let targetKey = canonical(targetFile)
        let tokens = JSONPointer(parsing: fragment).tokens

        // A reference into the root document stays local.
        if targetKey == rootKey {
            if ref.hasPrefix("#"), canonical(file) == rootKey {
                if document(rootKey).flatMap({ lookup(tokens, in: $0, key: rootKey) }) == nil {
                    diagnostics.error("$ref '\(ref)' points at nothing", at: refLocation, rule: "ref-resolves")
                }
                return node
            }
            if load(targetFile, referencedFrom: refLocation).flatMap({ lookup(tokens, in: $0, key: targetKey) }) == nil {
                diagnostics.error("$ref '\(ref)' points at nothing in \(targetFile)", at: refLocation, rule: "ref-resolves")
            }
            return replacingRef(in: node, with: "#" + JSONPointer(tokens).description, file: file, pointer: pointer, context: context)
        }

        var kind: String?
        var name: String?
        if tokens.count == 3, tokens[0] == "components" {
            kind = tokens[1]
            name = tokens[2]
        } else if context == .schema {
            kind = "schemas"
            name = tokens.last ?? Self.baseName(of: targetFile)
        }

        if let kind, let name {
            let hoistKey = key(targetFile, fragment)
            if let existing = hoisted[hoistKey] {
                return replacingRef(in: node, with: "#/components/\(existing.kind)/\(JSONPointer.escape(existing.name))", file: file, pointer: pointer, context: context)
            }
            guard let target = resolve(file: targetFile, fragment: fragment, referencedFrom: refLocation) else {
                return node
            }
            let unique = uniqueName(name, kind: kind)
            hoisted[hoistKey] = Hoisted(kind: kind, name: unique)
            let targetPointer = JSONPointer(["components", kind, unique])
            sourceMap.record(targetPointer, file: targetFile)
            let rewritten = rewrite(target, file: targetFile, pointer: targetPointer, context: kind == "schemas" ? .schema : .other)
            if pending[kind] == nil { pendingKinds.append(kind) }
            pending[kind, default: []].append((unique, rewritten))
            return replacingRef(in: node, with: "#/components/\(kind)/\(JSONPointer.escape(unique))", file: file, pointer: pointer, context: context)
        }

        // Anything else is copied in place.
        let inlineKey = key(targetFile, fragment)
        if inlineStack.contains(inlineKey) {
            diagnostics.error("circular $ref '\(ref)' through non-schema objects", at: refLocation, rule: "ref-resolves")
            return node
        }
        guard let target = resolve(file: targetFile, fragment: fragment, referencedFrom: refLocation) else {
            return node
        }
        inlineStack.append(inlineKey)
        defer { inlineStack.removeLast() }
        sourceMap.record(pointer, file: targetFile)
        return rewrite(target, file: targetFile, pointer: pointer, context: context)
    }

    /// Keeps the `$ref` node (with any sibling keywords) but points it at `target`.
    private func replacingRef(in node: Node, with target: String, file: String, pointer: JSONPointer, context: Context) -> Node {
        guard case .mapping(let mapping) = node else { return node }
        var pairs: [(Node, Node)] = []
        for (keyNode, value) in mapping {
            if keyNode.string == "$ref" {
                let scalar = value.scalar
                pairs.append((keyNode, .scalar(Node.Scalar(target, .implicit, .singleQuoted, scalar?.mark))))
            } else {
                let token = keyNode.string ?? ""
                pairs.append((keyNode, rewrite(value, file: file, pointer: pointer.appending(token), context: childContext(of: context, key: token, parent: pointer.last))))
            }
        }
        return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
    }

    private func mergePendingComponents(into pairs: [(Node, Node)]) -> [(Node, Node)] {
        guard !pendingKinds.isEmpty else { return pairs }
        var result = pairs
        var componentsIndex = result.firstIndex { $0.0.string == "components" }
        if componentsIndex == nil {
            result.append((Node("components"), .mapping(Node.Mapping([]))))
            componentsIndex = result.count - 1
        }
        guard let index = componentsIndex, case .mapping(let components) = result[index].1 else { return pairs }
        var kindPairs = Array(components.map { ($0.key, $0.value) })
        for kind in pendingKinds {
            let additions = (pending[kind] ?? []).map { (Node($0.0), $0.1) }
            if let existing = kindPairs.firstIndex(where: { $0.0.string == kind }), case .mapping(let entries) = kindPairs[existing].1 {
                let merged = Array(entries.map { ($0.key, $0.value) }) + additions
                kindPairs[existing].1 = .mapping(Node.Mapping(merged, entries.tag, entries.style, entries.mark))
            } else {
                kindPairs.append((Node(kind), .mapping(Node.Mapping(additions))))
            }
        }
        result[index].1 = .mapping(Node.Mapping(kindPairs, components.tag, components.style, components.mark))
        return result
    }

    // MARK: - Files

    private func load(_ file: String, referencedFrom: SourceLocation?) -> Node? {
        let canonicalPath = canonical(file)
        if let node = cache[canonicalPath] { return node }
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            diagnostics.error("cannot read \(file)", at: referencedFrom, rule: "ref-resolves")
            return nil
        }
        fileOrder.append(file)
        do {
            // `.basic`: plain scalars stay strings (`Node.literal` applies YAML's core schema itself);
            // Yams' default resolver runs regular expressions on every key it hashes.
            guard let node = try SplitYAMLComposer.compose(text) else {
                diagnostics.error("\(file) is empty", at: referencedFrom)
                return nil
            }
            cache[canonicalPath] = node
            return node
        } catch let error as YamlError {
            diagnostics.emit(Self.diagnostic(for: error, file: file))
            return nil
        } catch {
            diagnostics.error("cannot parse \(file): \(error)", at: referencedFrom)
            return nil
        }
    }

    private func document(_ canonicalPath: String) -> Node? {
        cache[canonicalPath]
    }

    /// `tokens` in the file `key`, through its component index.
    private func lookup(_ tokens: [String], in document: Node, key: String) -> Node? {
        if componentIndexes[key] == nil { componentIndexes[key] = document.componentIndex() }
        return document.descendant(tokens, index: componentIndexes[key] ?? [:])
    }

    private func resolve(file: String, fragment: String, referencedFrom: SourceLocation) -> Node? {
        guard let document = load(file, referencedFrom: referencedFrom) else { return nil }
        guard let node = lookup(JSONPointer(parsing: fragment).tokens, in: document, key: canonical(file)) else {
            diagnostics.error("$ref target '\(fragment)' does not exist in \(file)", at: referencedFrom, rule: "ref-resolves")
            return nil
        }
        return node
    }

    /// Splits `other.yaml#/a/b` into the file it names (relative to `base`) and the fragment.
    private func split(_ ref: String, from base: String) -> (String, String)? {
        let parts = ref.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let filePart = String(parts[0])
        let fragment = parts.count > 1 ? String(parts[1]) : ""
        if filePart.isEmpty { return (base, fragment) }
        if filePart.contains("://") { return nil }
        let directory = (base as NSString).deletingLastPathComponent
        let joined = filePart.hasPrefix("/") ? filePart : (directory.isEmpty ? filePart : directory + "/" + filePart)
        return (Self.normalize(joined), fragment)
    }

    private func key(_ file: String, _ fragment: String) -> String {
        canonical(file) + "#" + JSONPointer(parsing: fragment).description
    }

    private func uniqueName(_ name: String, kind: String) -> String {
        var taken = usedNames[kind, default: []]
        var candidate = name
        var counter = 2
        while taken.contains(candidate) {
            candidate = "\(name)\(counter)"
            counter += 1
        }
        taken.insert(candidate)
        usedNames[kind] = taken
        return candidate
    }

    private func location(_ node: Node, file: String) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    // MARK: - Helpers

    /// Whether OpenAPI lets a Reference Object stand at `pointer` (of the bundled document).
    private static func allowsReference(at pointer: JSONPointer, context: Context) -> Bool {
        if context == .schema || context == .schemaList || context == .schemaMap { return true }
        let tokens = pointer.tokens
        guard let last = tokens.last else { return false }
        let parent = tokens.count >= 2 ? tokens[tokens.count - 2] : ""
        let grandparent = tokens.count >= 3 ? tokens[tokens.count - 3] : ""
        if tokens.count == 3, tokens[0] == "components" { return true }
        if tokens.count == 2, tokens[0] == "paths" || tokens[0] == "webhooks" { return true }
        if last == "requestBody" { return true }
        if ["parameters", "responses", "headers", "examples", "links", "callbacks"].contains(parent) { return true }
        // A callback's expressions hold path items.
        return grandparent == "callbacks"
    }

    /// Removes `.` and `..` segments without touching the file system.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        let isAbsolute = path.hasPrefix("/")
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return (isAbsolute ? "/" : "") + parts.joined(separator: "/")
    }

    /// `path` made absolute and normalised: the key a file is cached under.
    private func canonical(_ path: String) -> String {
        if let known = canonicalPaths[path] { return known }
        let absolute = Self.normalize(path.hasPrefix("/") ? path : workingDirectory + "/" + path)
        canonicalPaths[path] = absolute
        return absolute
    }

    static func baseName(of file: String) -> String {
        ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` become 3.1's numeric form.
    static func upgradeExclusiveBounds(_ pairs: [(Node, Node)]) -> [(Node, Node)] {
        var result = pairs
        for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            guard let flagIndex = result.firstIndex(where: { $0.0.string == flag }), case .bool(let isExclusive) = result[flagIndex].1.literal else { continue }
            if isExclusive, let boundIndex = result.firstIndex(where: { $0.0.string == bound }) {
                result[flagIndex].1 = result[boundIndex].1
                result.remove(at: boundIndex)
            } else {
                result.remove(at: flagIndex)
            }
        }
        return result
    }

    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let detail = context.map { "\($0.text) " } ?? ""
            return Diagnostic(.error, "invalid YAML: \(detail)\(problem)", at: SourceLocation(file: file, line: mark.line, column: mark.column), rule: "yaml")
        default:
            return Diagnostic(.error, "invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1), rule: "yaml")
        }
    }
}
