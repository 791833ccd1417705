/// A generated named query and the PostgreSQL types contractgen inferred for it (`format_type`
/// spelling), so a test can PREPARE it and compare with what the server describes.
public struct NamedQueryDescriptor: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        public var name: String
        public var type: String

        public init(_ name: String, _ type: String) {
            self.name = name
            self.type = type
        }
    }

    public var name: String
    public var sql: String
    public var parameterTypes: [String]
    public var columns: [Column]

    public init(name: String, sql: String, parameterTypes: [String], columns: [Column]) {
        self.name = name
        self.sql = sql
        self.parameterTypes = parameterTypes
        self.columns = columns
    }
}
