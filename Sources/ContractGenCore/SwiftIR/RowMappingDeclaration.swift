import Mustache

/// An initializer of a DTO from a row of the table its schema is bound to (`x-table`): each field
/// read from its column, converted where the Swift types differ (integer widths, enums by raw
/// value, which throws for a value the DTO's enum lacks); a field without a column it can be read
/// from (`x-computed`, an object stored as JSON) is an argument. Rendered by `row-mapping.mustache`.
struct RowMappingDeclaration: Sendable {
    /// How a field gets its value.
    enum Source: String, Sendable, CaseIterable {
        /// The column's value as it is.
        case same
        /// An integer (or floating-point) conversion: `Int(row.count)`.
        case number
        /// Between a database enum and the API enum: `try converted(row.status)`.
        case enumeration
        /// A text column into the API enum: `try converted(rawValue: row.kind)`.
        case enumerationFromText
        /// A text array column into an array of the API enum.
        case enumerationArray
        /// An argument of the initializer.
        case argument
    }

    struct Field: Sendable, MustacheParent {
        /// The DTO's member (the initializer's label) and the row's member it is read from.
        var member: String
        var column: String
        var source: Source
        /// The column is nullable: the conversion is mapped over the optional.
        var optional: Bool
        /// `number`: the DTO's numeric type.
        var numberType: String
        /// `argument`: the parameter's type.
        var type: SwiftType

        func child(named name: String) -> Any? {
            if let source = Source(rawValue: name) { return self.source == source }
            switch name {
            case "member": return member
            case "column": return column
            case "optional": return optional
            case "numberType": return numberType
            case "type": return type
            default: return nil
            }
        }
    }

    var access: String
    /// The DTO's Swift type, its schema, the row type and the table.
    var type: String
    var schema: String
    var rowType: String
    var table: String
    var fields: [Field]

    var arguments: [Field] { fields.filter { $0.source == .argument } }
    /// Whether reading the row can throw (an enum conversion).
    var throwing: Bool { fields.contains { [.enumeration, .enumerationFromText, .enumerationArray].contains($0.source) } }
}

extension RowMappingDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "access": access
        case "type": type
        case "schema": schema
        case "rowType": rowType
        case "table": table
        case "fields": fields
        case "arguments": arguments
        case "hasArguments": !arguments.isEmpty
        case "throwing": throwing
        default: nil
        }
    }
}
