/// One entry of a contract's error catalog: code, symbolic name, HTTP status, localized messages.
public struct ErrorDescriptor: Sendable, Hashable {
    public var code: Int
    public var name: String
    public var httpStatus: Int
    /// Messages by language tag (`en`, `zh-CN`).
    public var messages: [String: String]

    public init(code: Int, name: String, httpStatus: Int, messages: [String: String]) {
        self.code = code
        self.name = name
        self.httpStatus = httpStatus
        self.messages = messages
    }

    /// The message in the best language for `preference`, falling back to English.
    public func message(for preference: LanguagePreference) -> String {
        for tag in preference.tags {
            if let exact = messages[tag] { return exact }
            if let prefixed = messages.first(where: { $0.key.lowercased().hasPrefix(tag.lowercased() + "-") || tag.lowercased().hasPrefix($0.key.lowercased() + "-") }) {
                return prefixed.value
            }
        }
        return messages["en"] ?? messages.values.sorted().first ?? name
    }
}

/// The catalog entries the runtime itself answers with (validation, auth, routing, limits).
public struct StandardErrors: Sendable, Hashable {
    public var invalidArgument: ErrorDescriptor
    public var unauthenticated: ErrorDescriptor
    public var tokenExpired: ErrorDescriptor
    public var forbidden: ErrorDescriptor
    public var notFound: ErrorDescriptor
    public var methodNotAllowed: ErrorDescriptor
    public var payloadTooLarge: ErrorDescriptor
    public var unsupportedMediaType: ErrorDescriptor
    public var internalError: ErrorDescriptor

    public init(
        invalidArgument: ErrorDescriptor, unauthenticated: ErrorDescriptor, tokenExpired: ErrorDescriptor,
        forbidden: ErrorDescriptor, notFound: ErrorDescriptor, methodNotAllowed: ErrorDescriptor,
        payloadTooLarge: ErrorDescriptor, unsupportedMediaType: ErrorDescriptor, internalError: ErrorDescriptor
    ) {
        self.invalidArgument = invalidArgument
        self.unauthenticated = unauthenticated
        self.tokenExpired = tokenExpired
        self.forbidden = forbidden
        self.notFound = notFound
        self.methodNotAllowed = methodNotAllowed
        self.payloadTooLarge = payloadTooLarge
        self.unsupportedMediaType = unsupportedMediaType
        self.internalError = internalError
    }
}
