/// A `multipart/form-data` request body generated from a contract schema: read from its parts with every problem
/// collected (text fields as the JSON types their schema gives them, `format: binary` fields as `FormFile`s), and
/// written back to parts by clients.
public protocol ContractForm: Sendable, Hashable {
    init?(form parts: [FormPart], at path: JSONPath, issues: inout FieldIssues)
    var formParts: [FormPart] { get }
}
