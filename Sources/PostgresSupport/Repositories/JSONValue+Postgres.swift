import ContractRuntime
import PostgresNIO

/// `json`/`jsonb` columns are read and written as the contract runtime's `JSONValue`.
extension JSONValue: PostgresEncodable, PostgresDecodable {}
