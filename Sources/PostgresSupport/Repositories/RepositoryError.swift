/// Why a generated repository call did not do what was asked, for the service to map to an API error.
public enum RepositoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The row changed since it was read (its `version` moved on): nothing was written.
    case versionConflict(table: String, expected: Int64)
    /// No row has that key (or row-level security hides it).
    case notFound(table: String)
    /// A pagination cursor that this repository did not issue.
    case invalidCursor

    public var description: String {
        switch self {
        case .versionConflict(let table, let expected): "\(table): the row is no longer at version \(expected)"
        case .notFound(let table): "\(table): no such row"
        case .invalidCursor: "the cursor is not one this list issued"
        }
    }
}
