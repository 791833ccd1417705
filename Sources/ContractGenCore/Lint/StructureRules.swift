import Foundation
import Yams

/// The structural rules Redocly CLI's and Spectral's `oas` rulesets ship, on the bundled document:
/// components that nothing uses, tags, summaries, 4xx responses, operationId case, identical and
/// ambiguous paths, enum values of the wrong type, and examples that break their schema.
/// (`$ref` resolution, path parameters, unique operationIds and 2xx responses are the generator's
/// own checks; see `docs/contract-lint.md` for the whole table.)
enum StructureRules {
    static let descriptions = [
        "unused-component": "every component is referenced (in the root document and in every file it references)",
        "tags-defined": "every tag an operation uses is declared in the top-level tags",
        "operation-summary": "every operation has a summary",
        "operation-4xx": "every operation declares a 4xx response",
        "operation-id-case": "operationIds are camelCase",
        "path-identical": "no two paths are the same template with different parameter names",
        "path-ambiguous": "no two paths can match the same request with no rule for which wins",
        "path-trailing-slash": "paths do not end with a slash",
        "path-query": "paths do not carry a query string (use query parameters)",
        "parameters-unique": "an operation or path item declares each parameter (name and place) once",
        "enum-type": "enum and const values match the schema's type",
        "schema-keywords": "schema keywords have the values JSON Schema allows (types, unique required names and enum values, non-negative bounds, valid patterns)",
        "example-valid": "examples of media types, parameters, headers and schemas validate against their schema",
        "link-valid": "a response link names an operationId that exists, parameters that operation takes, and `$response.body#/…` pointers the response's schema has",
    ]

    static func check(_ document: BundledDocument) -> [Diagnostic] {
        let walker = DocumentWalker(document)
        var diagnostics = DiagnosticCollector()
        operations(walker, document, into: &diagnostics)
        paths(document, into: &diagnostics)
        unusedComponents(document, into: &diagnostics)
        enumTypes(walker, document, into: &diagnostics)
        schemaKeywords(walker, document, into: &diagnostics)
        examples(walker, document, into: &diagnostics)
        links(walker, document, into: &diagnostics)
        return diagnostics.diagnostics
    }

    // MARK: - Links

    /// Response links: the target operation exists, takes the parameters the link sets, and each
    /// `$response.body#/pointer` names a place the response's JSON schema has (what Schemathesis'
    /// stateful phase and generated clients follow).
    private static func links(_ walker: DocumentWalker, _ document: BundledDocument, into diagnostics: inout DiagnosticCollector) {
        let paths = walker.operations.filter(\.isPath)
        let byID = Dictionary(paths.compactMap { operation in operation.node.child("operationId")?.string.map { ($0, operation) } }, uniquingKeysWith: { first, _ in first })
        for operation in paths {
            for (status, responseNode) in operation.node.child("responses")?.pairs ?? [] {
                let response = resolved(responseNode, document)
                for (name, linkNode) in response.child("links")?.pairs ?? [] {
                    let link = resolved(linkNode, document)
                    let location = document.location(of: operation.pointer.appending("responses").appending(status), node: linkNode)
                    let what = "link '\(name)' of \(operation.method.uppercased()) \(operation.path) \(status)"
                    guard let targetID = link.child("operationId")?.string else { continue }
                    guard let target = byID[targetID] else {
                        diagnostics.error("\(what) names operationId '\(targetID)', which no operation has", at: location, rule: "link-valid")
                        continue
                    }
                    let pathLevel = document.root.child("paths")?.child(target.path)?.child("parameters")?.elements ?? []
                    let taken = Set((pathLevel + (target.node.child("parameters")?.elements ?? [])).compactMap { resolved($0, document).child("name")?.string })
                    for (parameter, expression) in link.child("parameters")?.pairs ?? [] {
                        let bare = ["path.", "query.", "header.", "cookie."].first(where: parameter.hasPrefix).map { String(parameter.dropFirst($0.count)) } ?? parameter
                        if !taken.contains(bare) {
                            diagnostics.error("\(what) sets '\(parameter)', which \(targetID) does not take", at: location, rule: "link-valid")
                        }
                        guard let text = expression.string, text.hasPrefix("$response.body#") else { continue }
                        let pointer = JSONPointer(parsing: String(text.dropFirst("$response.body#".count)))
                        let schema = response.child("content")?.child("application/json")?.child("schema")
                        if let schema, !reaches(schema, pointer.tokens[...], document, depth: 0) {
                            diagnostics.error("\(what): \(text) is not a place the \(status) response's schema has", at: location, rule: "link-valid")
                        }
                    }
                }
            }
        }
    }

    /// The node a local `$ref` points at (followed a few times), or the node itself.
    private static func resolved(_ node: Node, _ document: BundledDocument) -> Node {
        var current = node
        for _ in 0..<8 {
            guard let ref = current.child("$ref")?.string, ref.hasPrefix("#"), let target = document.node(at: JSONPointer(parsing: String(ref.dropFirst()))) else { break }
            current = target
        }
        return current
    }

    /// Whether `tokens` lead from `schema` to a declared place: properties, `additionalProperties`,
    /// array items, through `$ref` and `allOf`/`anyOf`/`oneOf`.
    private static func reaches(_ schema: Node, _ tokens: ArraySlice<String>, _ document: BundledDocument, depth: Int) -> Bool {
        guard depth < 32 else { return false }
        let schema = resolved(schema, document)
        guard let token = tokens.first else { return true }
        for keyword in ["allOf", "anyOf", "oneOf"] {
            if (schema.child(keyword)?.elements ?? []).contains(where: { reaches($0, tokens, document, depth: depth + 1) }) { return true }
        }
        if let property = schema.child("properties")?.child(token) {
            return reaches(property, tokens.dropFirst(), document, depth: depth + 1)
        }
        if let items = schema.child("items"), Int(token) != nil {
            return reaches(items, tokens.dropFirst(), document, depth: depth + 1)
        }
        if let additional = schema.child("additionalProperties"), additional.isMapping {
            return reaches(additional, tokens.dropFirst(), document, depth: depth + 1)
        }
        return false
    }

    // MARK: - Operations

    private static func operations(_ walker: DocumentWalker, _ document: BundledDocument, into diagnostics: inout DiagnosticCollector) {
        let declaredTags = Set(document.root.child("tags")?.elements.compactMap { $0.child("name")?.string } ?? [])
        for operation in walker.operations where operation.isPath {
            let location = document.location(of: operation.pointer, node: operation.node)
            let name = "\(operation.method.uppercased()) \(operation.path)"
            if (operation.node.child("summary")?.string ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                diagnostics.warning("\(name) has no summary", at: location, rule: "operation-summary")
            }
            let statuses = operation.node.child("responses")?.pairs.map(\.key) ?? []
            if !statuses.contains(where: { $0.hasPrefix("4") }) {
                diagnostics.warning("\(name) declares no 4xx response", at: location, rule: "operation-4xx")
            }
            if let id = operation.node.child("operationId")?.string, !isCamelCase(id) {
                diagnostics.warning("operationId '\(id)' is not camelCase", at: location, rule: "operation-id-case")
            }
            duplicateParameters(operation.node, at: operation.pointer, document, into: &diagnostics)
            for tag in operation.node.child("tags")?.elements ?? [] {
                guard let tagName = tag.string, !declaredTags.contains(tagName) else { continue }
                diagnostics.warning("\(name) uses tag '\(tagName)', which the top-level tags do not declare",
                                    at: document.location(of: operation.pointer.appending("tags"), node: tag), rule: "tags-defined")
            }
        }
    }

    /// The same `name` + `in` twice in one parameters list (`$ref`s resolved).
    private static func duplicateParameters(_ node: Node, at pointer: JSONPointer, _ document: BundledDocument, into diagnostics: inout DiagnosticCollector) {
        var seen: Set<String> = []
        for (index, parameter) in (node.child("parameters")?.elements ?? []).enumerated() {
            let resolved = parameter.child("$ref")?.string.flatMap { document.node(at: JSONPointer(parsing: $0)) } ?? parameter
            guard let name = resolved.child("name")?.string, let place = resolved.child("in")?.string else { continue }
            if !seen.insert(place + "\u{0}" + name.lowercased()).inserted {
                diagnostics.error("parameter '\(name)' in \(place) is declared twice", at: document.location(of: pointer.appending("parameters").appending(index), node: parameter), rule: "parameters-unique")
            }
        }
    }

    /// A JSON Schema 2020-12 anchor: a letter or `_`, then letters, digits, `-`, `.` and `_` (ASCII).
    static func isAnchorName(_ name: String) -> Bool {
        let letter = { (byte: UInt8) in (65...90).contains(byte) || (97...122).contains(byte) || byte == 95 }
        guard let first = name.utf8.first, letter(first) else { return false }
        return name.utf8.allSatisfy { letter($0) || (48...57).contains($0) || $0 == 45 || $0 == 46 }
    }

    static func isCamelCase(_ identifier: String) -> Bool {
        guard let first = identifier.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return identifier.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    // MARK: - Paths

    private static func paths(_ document: BundledDocument, into diagnostics: inout DiagnosticCollector) {
        let entries = (document.root.child("paths")?.pairs ?? []).map { (path: $0.key, segments: segments($0.key)) }
        for entry in entries {
            var location: SourceLocation { document.location(of: JSONPointer(["paths", entry.path])) }
            if entry.path.count > 1, entry.path.hasSuffix("/") {
                diagnostics.warning("path '\(entry.path)' ends with a slash", at: location, rule: "path-trailing-slash")
            }
            if entry.path.contains("?") {
                diagnostics.error("path '\(entry.path)' carries a query string; declare query parameters instead", at: location, rule: "path-query")
            }
        }
        for (index, later) in entries.enumerated() {
            for earlier in entries[..<index] where earlier.segments.count == later.segments.count {
                var location: SourceLocation { document.location(of: JSONPointer(["paths", later.path])) }
                let pairs = zip(earlier.segments, later.segments)
                if pairs.allSatisfy({ $0.isTemplate == $1.isTemplate && ($0.isTemplate || $0.text == $1.text) }) {
                    diagnostics.error("path '\(later.path)' is the same template as '\(earlier.path)'", at: location, rule: "path-identical")
                    continue
                }
                // Ambiguous: every segment may match the other's, and each path is more specific somewhere.
                let compatible = pairs.allSatisfy { $0.isTemplate || $1.isTemplate || $0.text == $1.text }
                let earlierWins = pairs.contains { !$0.isTemplate && $1.isTemplate }
                let laterWins = pairs.contains { $0.isTemplate && !$1.isTemplate }
                if compatible, earlierWins, laterWins {
                    diagnostics.warning("path '\(later.path)' and '\(earlier.path)' can match the same request", at: location, rule: "path-ambiguous")
                }
            }
        }
    }

    private struct Segment {
        var text: Substring
        var isTemplate: Bool
    }

    private static func segments(_ path: String) -> [Segment] {
        path.split(separator: "/").map { Segment(text: $0, isTemplate: $0.contains("{")) }
    }

    // MARK: - Components

    static let componentKinds = ["schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks", "pathItems"]

    private static func unusedComponents(_ document: BundledDocument, into diagnostics: inout DiagnosticCollector) {
        let used = document.referencedComponents
        let schemes = Set(securityRequirementNames(document.root))
        for (kind, entries) in document.root.child("components")?.pairs ?? [] {
            guard componentKinds.contains(kind) || kind == "securitySchemes" else { continue }
            for (name, node) in entries.pairs {
                let isUsed = kind == "securitySchemes" ? schemes.contains(name) : used.contains([kind, name])
                if !isUsed {
                    let pointer = JSONPointer(["components", kind, name])
                    diagnostics.warning("components/\(kind)/\(name) is never referenced", at: document.location(of: pointer, node: node), rule: "unused-component")
                }
            }
        }
        // Components of the other files: used when the bundler hoisted them into the root.
        for (file, components) in document.externalComponents {
            for component in components where !document.hoisted.contains(component.key) {
                diagnostics.warning("components/\(component.kind)/\(component.name) of \(file) is never referenced", at: component.location, rule: "unused-component")
            }
        }
    }

    private static func securityRequirementNames(_ root: Node) -> [String] {
        var names = root.child("security")?.elements.flatMap { $0.pairs.map(\.key) } ?? []
        func visit(_ node: Node) {
            for (key, value) in node.pairs {
                if key == "security", value.isSequence { names += value.elements.flatMap { $0.pairs.map(\.key) } } else { visit(value) }
            }
            for element in node.elements { visit(element) }
        }
        if let paths = root.child("paths") { visit(paths) }
        if let webhooks = root.child("webhooks") { visit(webhooks) }
        if let pathItems = root.child("components")?.child("pathItems") { visit(pathItems) }
        return names
    }

    // MARK: - Values

    private static func enumTypes(_ walker: DocumentWalker, _ document: BundledDocument, into diagnostics: inout DiagnosticCollector) {
        for schema in walker.schemas {
            guard let typeNode = schema.node.child("type") else { continue }
            var types = typeNode.isSequence ? typeNode.elements.compactMap(\.string) : [typeNode.string].compactMap { $0 }
            if schema.node.child("nullable")?.boolValue == true { types.append("null") }
            guard !types.isEmpty else { continue }
            var values: [(Node, JSONPointer)] = (schema.node.child("enum")?.elements ?? []).enumerated().map {
                ($1, schema.pointer.appending("enum").appending($0))
            }
            if let constant = schema.node.child("const") { values.append((constant, schema.pointer.appending("const"))) }
            for (value, pointer) in values where !types.contains(where: { SchemaEvaluator.matches(value.literal, type: $0) }) {
                diagnostics.error("\(SchemaEvaluator.render(value.literal)) is not of the schema's type \(types.joined(separator: " or "))",
                                  at: document.location(of: pointer, node: value), rule: "enum-type")
            }
        }
    }

    static let jsonTypes: Set<String> = ["null", "boolean", "integer", "number", "string", "array", "object"]

    private static func schemaKeywords(_ walker: DocumentWalker, _ document: BundledDocument, into diagnostics: inout DiagnosticCollector) {
        for schema in walker.schemas {
            func problem(_ keyword: String, _ message: String) {
                let pointer = schema.pointer.appending(keyword)
                let node = schema.node.child(keyword) ?? schema.node
                diagnostics.error("\(keyword) \(message)", at: document.location(of: pointer, node: node), rule: "schema-keywords")
            }
            for (keyword, value) in schema.node.pairs {
                switch keyword {
                case "type":
                    let names = value.isSequence ? value.elements.map { $0.string ?? "" } : [value.string ?? ""]
                    if let wrong = names.first(where: { !jsonTypes.contains($0) }) { problem(keyword, "names an unknown type '\(wrong)'") }
                    if Set(names).count != names.count { problem(keyword, "repeats a type") }
                case "required":
                    let names = value.elements.compactMap(\.string)
                    if !value.isSequence || names.count != value.elements.count {
                        problem(keyword, "must be a list of property names")
                    } else if let repeated = names.enumerated().first(where: { names[..<$0.offset].contains($0.element) }) {
                        problem(keyword, "names '\(repeated.element)' twice")
                    }
                case "enum":
                    let values = value.elements.map(\.literal)
                    if !value.isSequence {
                        problem(keyword, "must be a list")
                    } else if let repeated = values.enumerated().first(where: { item in values[..<item.offset].contains { SchemaEvaluator.equal($0, item.element) } }) {
                        problem(keyword, "lists \(SchemaEvaluator.render(repeated.element)) twice")
                    }
                case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties":
                    if (value.intValue ?? -1) < 0 { problem(keyword, "must be a non-negative integer") }
                case "multipleOf":
                    if (value.doubleValue ?? 0) <= 0 { problem(keyword, "must be a number greater than 0") }
                case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
                    if value.doubleValue == nil { problem(keyword, "must be a number") }
                case "pattern":
                    if (try? NSRegularExpression(pattern: value.string ?? "(")) == nil { problem(keyword, "is not a valid regular expression") }
                case "uniqueItems", "readOnly", "writeOnly", "deprecated", "nullable":
                    if value.boolValue == nil { problem(keyword, "must be true or false") }
                case "properties", "patternProperties":
                    if !value.isMapping { problem(keyword, "must be a map of schemas") }
                case "$anchor", "$dynamicAnchor", "$recursiveAnchor":
                    // JSON Schema 2020-12 (OpenAPI 3.1): an anchor name; `$recursiveAnchor: true` is 2019-09.
                    guard case .string(let name) = value.literal, isAnchorName(name) else {
                        problem(keyword, "must be an anchor name (in JSON Schema 2020-12, `$recursiveAnchor: true` is `$dynamicAnchor: <name>`)")
                        continue
                    }
                default:
                    break
                }
            }
        }
    }

    /// A parameter's example written as text, read as the scalar its schema's type names.
    static func parsedWireValue(_ value: LiteralValue, schema: Node, document: BundledDocument) -> LiteralValue {
        guard case .string(let text) = value else { return value }
        var resolved = schema
        if let ref = schema.child("$ref")?.string, let target = document.node(at: JSONPointer(parsing: ref)) { resolved = target }
        let typeNode = resolved.child("type")
        let types = typeNode.map { $0.isSequence ? $0.elements.compactMap(\.string) : [$0.string].compactMap { $0 } } ?? []
        if types.contains("boolean"), text == "true" || text == "false" { return .bool(text == "true") }
        if types.contains("integer"), let integer = Int64(text) { return .integer(integer) }
        if types.contains("number"), let number = Double(text) { return .number(number) }
        return value
    }

    private static func examples(_ walker: DocumentWalker, _ document: BundledDocument, into diagnostics: inout DiagnosticCollector) {
        var evaluator = SchemaEvaluator(document: document)
        func check(_ example: Node, at pointer: JSONPointer, schema: Node, what: String, wireForm: Bool = false) {
            var value = example.literal
            if wireForm { value = Self.parsedWireValue(value, schema: schema, document: document) }
            for violation in evaluator.violations(of: value, against: schema) {
                var node = example
                var valuePointer = pointer
                for token in violation.instance.tokens {
                    guard let child = node.child(token) else { break }
                    node = child
                    valuePointer = valuePointer.appending(token)
                }
                let place = violation.instance.tokens.isEmpty ? "" : " at \(violation.instance)"
                diagnostics.error("\(what)\(place) \(violation.reason)", at: document.location(of: valuePointer, node: node), rule: "example-valid")
            }
        }
        func checkExamples(of holder: Node, at pointer: JSONPointer, schema: Node) {
            // Parameters and headers travel as text: `'true'` is a fine example of a boolean one.
            let wireForm = holder.child("in") != nil || pointer.tokens.dropLast().last == "headers"
            if let example = holder.child("example") {
                check(example, at: pointer.appending("example"), schema: schema, what: "the example", wireForm: wireForm)
            }
            for (name, entry) in holder.child("examples")?.pairs ?? [] {
                var resolved = entry
                var entryPointer = pointer.appending("examples").appending(name)
                if let ref = entry.child("$ref")?.string, let target = document.node(at: JSONPointer(parsing: ref)) {
                    resolved = target
                    entryPointer = JSONPointer(parsing: ref)
                }
                if let value = resolved.child("value") {
                    check(value, at: entryPointer.appending("value"), schema: schema, what: "example '\(name)'", wireForm: wireForm)
                }
            }
        }
        for holder in walker.exampleHolders {
            guard let schema = holder.node.child("schema") else { continue }
            checkExamples(of: holder.node, at: holder.pointer, schema: schema)
        }
        for schema in walker.schemas {
            if let example = schema.node.child("example") {
                check(example, at: schema.pointer.appending("example"), schema: schema.node, what: "the schema's example")
            }
            // 3.1: `examples` of a schema is an array of values.
            for (index, example) in (schema.node.child("examples")?.elements ?? []).enumerated() {
                check(example, at: schema.pointer.appending("examples").appending(index), schema: schema.node, what: "the schema's example \(index)")
            }
        }
    }
}
