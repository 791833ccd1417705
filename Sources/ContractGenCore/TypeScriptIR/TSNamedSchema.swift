import Mustache

/// A named schema of the contract as the TypeScript client has it: its type declaration
/// (types.d.ts) and its descriptor (schemas.js).
struct TSNamedSchema: Sendable, MustacheParent {
    var name: String
    var docLines: [String]
    var type: TSType
    var descriptor: TSDescriptor
    /// The type is an object's properties (declared as an `interface`), not an alias.
    var interfaceProperties: [TSProperty]?

    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "docLines": docLines.isEmpty ? false : docLines
        case "type": type
        case "descriptor": descriptor
        case "isInterface": interfaceProperties != nil
        case "properties": interfaceProperties ?? []
        default: nil
        }
    }
}
