/// What stops the migrations runner, worded for the person running it.
public enum MigrationError: Error, CustomStringConvertible, Sendable {
    case unreadableDirectory(String)
    case badFileName(String)
    case missingDown(String)
    case missingUp(String)
    case duplicateVersion(Int)
    case gap(expected: Int, found: Int)
    case editedAfterApply(version: Int, name: String)
    case unknownApplied(version: Int, name: String)
    case unknownTarget(Int)
    case failed(version: Int, name: String, direction: String, statement: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableDirectory(let path): return "cannot read migrations directory \(path)"
        case .badFileName(let name): return "\(name): migration files are named NNNN_name.up.sql and NNNN_name.down.sql"
        case .missingDown(let name): return "\(name) has no .down.sql"
        case .missingUp(let name): return "\(name) has no .up.sql"
        case .duplicateVersion(let version): return "two migrations have version \(version)"
        case .gap(let expected, let found): return "migration versions must be 1, 2, 3, … without gaps: expected \(expected), found \(found)"
        case .editedAfterApply(let version, let name):
            return "migration \(version) (\(name)) was changed after it was applied; add a new migration instead of editing an applied one"
        case .unknownApplied(let version, let name):
            return "the database has migration \(version) (\(name)) applied, which is not in the migrations directory"
        case .unknownTarget(let version): return "there is no migration \(version)"
        case .failed(let version, let name, let direction, let statement, let reason):
            return "migration \(version) (\(name)) \(direction) failed and was rolled back: \(reason)\n  in: \(statement.prefix(300))"
        }
    }
}
