import Mustache

/// One negative contract case (`ContractViolation`) as data: the operation, the change to a valid
/// request and the field and constraint the 40001 must name. Rendered by `contract-cases.mustache`.
struct ContractCase: Sendable {
    /// The change, named as `ContractViolation.Change`'s cases are.
    enum Change: String, Sendable, CaseIterable {
        case setBody, removeBody, repeatBodyItem, setQuery, removeQuery, setHeader, removeHeader, setPath
    }

    /// String literals.
    var operationID: String
    var pathTemplate: String
    var field: String
    var constraint: String
    var change: Change
    /// The JSON pointer (body changes) or the parameter's name, as a string literal.
    var target: String
    /// The new value: JSON for the body, a string literal for parameters.
    var json: JSONLiteral?
    var text = ""
    var count = 0

    init(_ violation: PlannedViolation) {
        operationID = SwiftNaming.literal(violation.operationID)
        pathTemplate = SwiftNaming.literal(violation.pathTemplate)
        field = SwiftNaming.literal(violation.field)
        constraint = SwiftNaming.literal(violation.constraint)
        switch violation.change {
        case .setBody(let pointer, let value): (change, target, json) = (.setBody, SwiftNaming.literal(pointer), JSONLiteral(value))
        case .removeBody(let pointer): (change, target) = (.removeBody, SwiftNaming.literal(pointer))
        case .repeatBodyItem(let pointer, let count): (change, target, self.count) = (.repeatBodyItem, SwiftNaming.literal(pointer), count)
        case .setQuery(let name, let value): (change, target, text) = (.setQuery, SwiftNaming.literal(name), SwiftNaming.literal(value))
        case .removeQuery(let name): (change, target) = (.removeQuery, SwiftNaming.literal(name))
        case .setHeader(let name, let value): (change, target, text) = (.setHeader, SwiftNaming.literal(name), SwiftNaming.literal(value))
        case .removeHeader(let name): (change, target) = (.removeHeader, SwiftNaming.literal(name))
        case .setPath(let name, let value): (change, target, text) = (.setPath, SwiftNaming.literal(name), SwiftNaming.literal(value))
        }
    }
}

extension ContractCase: MustacheParent {
    func child(named name: String) -> Any? {
        if let change = Change(rawValue: name) { return self.change == change }
        switch name {
        case "operationID": return operationID
        case "pathTemplate": return pathTemplate
        case "field": return field
        case "constraint": return constraint
        case "target": return target
        case "json": return json.map { $0 as Any } ?? false
        case "text": return text
        case "count": return count
        default: return nil
        }
    }
}
