import Foundation

/// A parameter type decodable from the text of a path, query or header value.
public protocol ParameterConvertible: Sendable {
    init?(parameter text: String)
    var parameterText: String { get }
}

extension String: ParameterConvertible {
    public init?(parameter text: String) { self = text }
    public var parameterText: String { self }
}

extension Int: ParameterConvertible {
    public init?(parameter text: String) { self.init(text) }
    public var parameterText: String { String(self) }
}

extension Int32: ParameterConvertible {
    public init?(parameter text: String) { self.init(text) }
    public var parameterText: String { String(self) }
}

extension Int64: ParameterConvertible {
    public init?(parameter text: String) { self.init(text) }
    public var parameterText: String { String(self) }
}

extension Double: ParameterConvertible {
    public init?(parameter text: String) {
        guard let value = Double(text), value.isFinite else { return nil }
        self = value
    }
    public var parameterText: String { String(self) }
}

extension Bool: ParameterConvertible {
    public init?(parameter text: String) {
        switch text {
        case "true": self = true
        case "false": self = false
        default: return nil
        }
    }
    public var parameterText: String { self ? "true" : "false" }
}

extension UUID: ParameterConvertible {
    public init?(parameter text: String) {
        guard text.utf8.count == 36 else { return nil }
        self.init(uuidString: text)
    }
    public var parameterText: String { uuidString.lowercased() }
}

extension Date: ParameterConvertible {
    public init?(parameter text: String) {
        guard let date = DateTime.parse(text) else { return nil }
        self = date
    }
    public var parameterText: String { DateTime.format(self) }
}

extension ParameterConvertible where Self: RawRepresentable, RawValue == String {
    public init?(parameter text: String) { self.init(rawValue: text) }
    public var parameterText: String { rawValue }
}
