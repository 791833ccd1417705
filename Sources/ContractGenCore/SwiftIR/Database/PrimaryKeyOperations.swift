import Mustache

/// What a table's primary key allows: find and delete by it, `update` (guarded by `version` when
/// the table has one) and keyset pagination when every key column can travel in a cursor.
struct PrimaryKeyOperations: Sendable {
    /// Keyset pagination over the primary key.
    struct Keyset: Sendable, MustacheParent {
        /// A cursor value read back as a key column's type.
        struct CursorValue: Sendable, MustacheParent {
            var index: Int
            var type: SwiftType
            func child(named key: String) -> Any? {
                switch key {
                case "index": index
                case "type": type
                default: nil
                }
            }
        }
        var cursorValues: [CursorValue]
        /// The key columns with their placeholders in the `WHERE (…) > (…)` comparison.
        var keyColumns: [SQLComparison]
        /// The key's members, written into the next cursor.
        var members: [String]
        func child(named key: String) -> Any? {
            switch key {
            case "cursorValues": cursorValues
            case "keyColumns": keyColumns
            case "tupled": keyColumns.count > 1
            case "members": members
            case "capacity": keyColumns.count + 1
            default: nil
            }
        }
    }

    var lookup: KeyLookup
    /// The key's members, passed on from `row` (`find(keyOf:)`, `delete(keyOf:)`, the version check).
    var keyMembers: [String]
    /// There are columns besides the key to update.
    var hasUpdate: Bool
    var versioned: Bool
    var updateBindings: [BindingAppend]
    var assignments: [SQLAssignment]
    var updateConditions: [SQLComparison]
    var keyset: Keyset?
}

extension PrimaryKeyOperations: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "lookup": lookup
        case "keyMembers": keyMembers
        case "hasUpdate": hasUpdate
        case "versioned": versioned
        case "updateBindings": updateBindings
        case "updateCount": updateBindings.count
        case "assignments": assignments
        case "updateConditions": updateConditions
        case "keyset": keyset.map { $0 as Any } ?? false
        default: nil
        }
    }
}
