/// Any error answer an operation declares, whatever the operation: for callers that handle failures
/// alike (`catch let failure as any ContractFailure`).
public protocol ContractFailure: Error, Sendable, CustomStringConvertible {
    /// The whole answer: catalog code, message, request id, field details, `Retry-After`.
    var answer: ErrorAnswer { get }
}

/// An error answer an operation declares: its catalog code as one of the operation's `Code` cases,
/// and the whole answer. Generated clients name it `ClientOperations.<Operation>.Failure`.
public struct OperationFailure<Code: RawRepresentable & Sendable>: ContractFailure where Code.RawValue == Int {
    public var code: Code
    public var answer: ErrorAnswer

    public init(code: Code, answer: ErrorAnswer) {
        self.code = code
        self.answer = answer
    }

    /// The failure for `answer` when its code is one the operation declares.
    public init?(_ answer: ErrorAnswer) {
        guard let code = Code(rawValue: answer.code) else { return nil }
        self.init(code: code, answer: answer)
    }

    public var description: String { answer.description }
}
