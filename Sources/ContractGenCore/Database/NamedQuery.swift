/// A query from `contracts/db/queries/*.sql` (`-- name: X :one|:many|:exec|:execrows`), with the
/// parameter and result types the analyzer inferred from the catalog.
public struct NamedQuery: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// At most one row: the function returns an optional row.
        case one
        /// Any number of rows.
        case many
        /// No rows; the function returns nothing.
        case exec
        /// No rows; the function returns how many rows changed.
        case execrows
    }

    public var name: String
    public var kind: Kind
    /// The statement as written, without the header comments.
    public var sql: String
    /// The comment lines after the header, for doc comments.
    public var doc: [String]
    public var parameters: [QueryParameter]
    public var columns: [QueryColumn]
    public var location: SourceLocation
}

/// `$n` of a named query.
public struct QueryParameter: Sendable, Hashable {
    /// 1 for `$1`.
    public var index: Int
    /// A name for the generated argument (`-- params:` header, else the column it is compared
    /// with or assigned to).
    public var name: String
    public var type: SQLType
    /// Whether the query accepts NULL (`$n IS NULL`, `IS NOT DISTINCT FROM $n`, a nullable column it is stored in).
    public var nullable: Bool
}

/// One result column of a named query.
public struct QueryColumn: Sendable, Hashable {
    public var name: String
    public var type: SQLType
    public var nullable: Bool
}
