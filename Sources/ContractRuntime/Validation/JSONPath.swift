/// The RFC 6901 pointer of a value inside a request or response, used as `details[].field`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public private(set) var pointer: String

    public static let root = JSONPath(pointer: "")

    public init(pointer: String) {
        self.pointer = pointer
    }

    public func appending(_ key: String) -> JSONPath {
        let escaped = key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") })
            ? key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            : key
        return JSONPath(pointer: pointer + "/" + escaped)
    }

    public func appending(_ index: Int) -> JSONPath {
        JSONPath(pointer: pointer + "/" + String(index))
    }

    public var description: String { pointer.isEmpty ? "/" : pointer }
}

import Foundation
