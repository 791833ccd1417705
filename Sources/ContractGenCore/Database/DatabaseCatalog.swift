import SQLSyntax

/// The database schema the migrations build, as the generator sees it: tables with their
/// columns and keys, enum types, indexes, row-level-security policies, and the functions and
/// triggers (recorded by name, not interpreted). Built by replaying `*.up.sql` in order.
public struct DatabaseCatalog: Sendable, Hashable {
    /// Tables by name, in creation order.
    public private(set) var tables: [TableModel] = []
    public var enums: [String: EnumType] = [:]
    public var indexes: [String: IndexModel] = [:]
    public var functions: [String: SourceLocation] = [:]
    /// Triggers by table, then name.
    public var triggers: [String: [String: SourceLocation]] = [:]

    public init() {}

    public func table(_ name: String) -> TableModel? {
        tables.first { $0.name == name }
    }

    mutating func addTable(_ table: TableModel) {
        tables.append(table)
    }

    mutating func removeTable(_ name: String) {
        tables.removeAll { $0.name == name }
        indexes = indexes.filter { $0.value.table != name }
        triggers[name] = nil
    }

    /// The values of each text column a `CHECK (column IN (…))` limits, by `table.column` (set by
    /// `markCheckedColumns`).
    public private(set) var checkedValues: [String: [String]] = [:]

    /// The text columns a `CHECK (column IN (…))` limits, in table and column order, with their values.
    public var checkedColumns: [(key: String, table: TableModel, column: ColumnModel, values: [String])] {
        tables.flatMap { table in
            table.columns.compactMap { column in
                guard let key = column.type.checkedColumn, let values = checkedValues[key] else { return nil }
                return (key, table, column, values)
            }
        }
    }

    /// Marks every text column a `CHECK (column IN (…))` limits (`SQLType.checkedColumn`) and keeps
    /// its values, once the migrations are replayed.
    mutating func markCheckedColumns() {
        for index in tables.indices {
            let table = tables[index]
            for (position, column) in table.columns.enumerated() where !column.type.isArray && ["text", "character varying"].contains(column.type.name) {
                guard let values = table.allowedValues(of: column.name) else { continue }
                let key = "\(table.name).\(column.name)"
                tables[index].columns[position].type.checkedColumn = key
                checkedValues[key] = values
            }
        }
    }

    /// Applies `change` to the table `name`; false when there is no such table.
    mutating func updateTable(_ name: String, _ change: (inout TableModel) -> Void) -> Bool {
        guard let index = tables.firstIndex(where: { $0.name == name }) else { return false }
        change(&tables[index])
        return true
    }
}

/// A PostgreSQL type as `format_type` spells it without modifiers (`timestamp with time zone`,
/// `character varying`, `task_status`), with its array dimensions.
public struct SQLType: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var arrayDimensions: Int
    /// Type modifiers as written (`varchar(64)` → `[64]`).
    public var modifiers: [Int]
    /// For a text column limited by `CHECK (column IN (…))`: the column (`assets.status`), whose values
    /// follow it into the named queries that read or write it (so they get the column's enum).
    public var checkedColumn: String?

    public init(_ name: String, arrayDimensions: Int = 0, modifiers: [Int] = [], checkedColumn: String? = nil) {
        self.name = name
        self.arrayDimensions = arrayDimensions
        self.modifiers = modifiers
        self.checkedColumn = checkedColumn
    }

    public var isArray: Bool { arrayDimensions > 0 }

    /// The element type of an array type.
    public var element: SQLType { SQLType(name, modifiers: modifiers) }

    /// `name[]` as `format_type` writes it (one `[]` whatever the dimensions).
    public var description: String { name + (isArray ? "[]" : "") }
}

public struct ColumnModel: Sendable, Hashable {
    public var name: String
    public var type: SQLType
    public var notNull: Bool
    /// The `DEFAULT` expression as written (also set for serial and identity columns).
    public var defaultExpression: String?
    public var location: SourceLocation

    public var hasDefault: Bool { defaultExpression != nil }
}

/// A PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK constraint.
public struct ConstraintModel: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case primaryKey([String])
        case unique([String])
        case foreignKey(columns: [String], table: String, referencedColumns: [String], onDelete: String?)
        case check(String)
    }

    /// The constraint name: as written, or the one PostgreSQL would choose.
    public var name: String
    public var kind: Kind
    public var location: SourceLocation
}

public struct TableModel: Sendable, Hashable {
    public var name: String
    public var columns: [ColumnModel]
    public var constraints: [ConstraintModel]
    public var rowLevelSecurity = false
    public var forceRowLevelSecurity = false
    /// Policies by name.
    public var policies: [String: PolicyModel] = [:]
    public var location: SourceLocation

    public func column(_ name: String) -> ColumnModel? {
        columns.first { $0.name == name }
    }

    public var primaryKey: [String]? {
        for constraint in constraints { if case .primaryKey(let columns) = constraint.kind { return columns } }
        return nil
    }

    /// The values a column is limited to by a `CHECK (column IN ('a', 'b', …))` constraint of the
    /// table (as the migrations leave it); nil when no such constraint names the column alone.
    public func allowedValues(of column: String) -> [String]? {
        for constraint in constraints {
            guard case .check(let predicate) = constraint.kind, var tokens = try? SQLLexer.tokenize(predicate) else { continue }
            while tokens.first?.isSymbol("(") == true, tokens.last?.isSymbol(")") == true { tokens = Array(tokens.dropFirst().dropLast()) }
            guard tokens.count >= 5, tokens[0].identifier == column, tokens[1].isWord("in"), tokens[2].isSymbol("("), tokens.last?.isSymbol(")") == true
            else { continue }
            var values: [String] = []
            var expectValue = true
            var valid = true
            for token in tokens[3..<(tokens.count - 1)] {
                if expectValue, token.kind == .string {
                    values.append(token.text)
                } else if !expectValue, token.isSymbol(",") {
                } else {
                    valid = false
                    break
                }
                expectValue.toggle()
            }
            if valid, !expectValue, !values.isEmpty { return values }
        }
        return nil
    }

    /// UNIQUE constraints' columns, in declaration order.
    public var uniqueKeys: [[String]] {
        constraints.compactMap { if case .unique(let columns) = $0.kind { columns } else { nil } }
    }
}

public struct EnumType: Sendable, Hashable {
    public var name: String
    public var values: [String]
    public var location: SourceLocation
}

public struct IndexModel: Sendable, Hashable {
    public var name: String
    public var table: String
    /// Key expressions as written (`created_at DESC`, `lower(email)`).
    public var keys: [String]
    public var unique: Bool
    /// The `WHERE` predicate of a partial index, as written.
    public var predicate: String?
    public var location: SourceLocation
}

public struct PolicyModel: Sendable, Hashable {
    public var name: String
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    public var command: String
    public var using: String?
    public var withCheck: String?
    public var location: SourceLocation
}
