import Yams

/// Reads `x-state-machine` on a string enum schema into a `StateMachineModel`:
///
///     x-state-machine:
///       initial: [UPLOADED, QUEUED]
///       moves:
///         - {from: UPLOADED, to: [QUEUED, CANCELED], by: [user]}
///         - {from: [PREPROCESSING, DETECTING], to: QUEUED, by: [worker]}
///
/// `from` and `to` name one state or a list (every pair of them is a move). Every name must be one
/// of the enum's values, every state must be reachable from an initial one, and a move needs at
/// least one actor; what is wrong is an error at the keyword (`state-machine`), and the schema
/// then has no state machine.
struct StateMachineTranslator {
    static let rule = "state-machine"

    let document: BundledDocument
    var diagnostics = DiagnosticCollector()

    init(document: BundledDocument) {
        self.document = document
    }

    /// The state machine of the component schema `name`, if it declares one.
    mutating func translate(_ name: String, schema: SchemaModel, node: Node) -> StateMachineModel? {
        guard let declaration = node.child("x-state-machine") else { return nil }
        let pointer = JSONPointer(["components", "schemas", name, "x-state-machine"])
        let location = document.location(of: pointer, node: declaration)
        guard case .stringEnum(let states) = schema.shape else {
            diagnostics.error("\(name) declares x-state-machine but is not a string enum", at: location, rule: Self.rule)
            return nil
        }
        guard declaration.isMapping else {
            diagnostics.error("x-state-machine must be a mapping with `initial` and `moves`", at: location, rule: Self.rule)
            return nil
        }
        let known = Set(states)
        var failed = false
        func names(_ node: Node?, at pointer: JSONPointer, what: String) -> [String] {
            guard let node else {
                diagnostics.error("x-state-machine of \(name) needs `\(what)`", at: location, rule: Self.rule)
                failed = true
                return []
            }
            let values = node.isSequence ? node.elements.map(\.string) : [node.string]
            var result: [String] = []
            for (index, value) in values.enumerated() {
                let at = node.isSequence ? pointer.appending(index) : pointer
                guard let value else {
                    diagnostics.error("`\(what)` names states by their values (strings)", at: document.location(of: at), rule: Self.rule)
                    failed = true
                    continue
                }
                if what != "by", !known.contains(value) {
                    diagnostics.error("'\(value)' is not a value of \(name) (\(states.joined(separator: ", ")))", at: document.location(of: at), rule: Self.rule)
                    failed = true
                    continue
                }
                result.append(value)
            }
            return result
        }

        let initial = names(declaration.child("initial"), at: pointer.appending("initial"), what: "initial")
        var moves: [StateMachineModel.Move] = []
        var actors: [String] = []
        let moveNodes = declaration.child("moves")
        if moveNodes == nil || moveNodes?.isSequence != true {
            diagnostics.error("x-state-machine of \(name) needs `moves`, a list of {from, to, by}", at: location, rule: Self.rule)
            failed = true
        }
        for (index, move) in (moveNodes?.elements ?? []).enumerated() {
            let movePointer = pointer.appending("moves").appending(index)
            let from = names(move.child("from"), at: movePointer.appending("from"), what: "from")
            let to = names(move.child("to"), at: movePointer.appending("to"), what: "to")
            let by = names(move.child("by"), at: movePointer.appending("by"), what: "by")
            if move.child("by") != nil, by.isEmpty {
                diagnostics.error("a move needs at least one actor in `by`", at: document.location(of: movePointer), rule: Self.rule)
                failed = true
            }
            for actor in by where !actors.contains(actor) { actors.append(actor) }
            for source in from {
                for target in to {
                    if let existing = moves.firstIndex(where: { $0.from == source && $0.to == target }) {
                        for actor in by where !moves[existing].by.contains(actor) { moves[existing].by.append(actor) }
                    } else {
                        moves.append(StateMachineModel.Move(from: source, to: target, by: by))
                    }
                }
            }
        }
        guard !failed else { return nil }
        let machine = StateMachineModel(states: states, initial: initial, actors: actors, moves: moves, location: location)
        var reached = Set(initial)
        var frontier = initial
        while let state = frontier.popLast() {
            for move in moves where move.from == state && reached.insert(move.to).inserted { frontier.append(move.to) }
        }
        for state in states where !reached.contains(state) {
            diagnostics.error("\(name) can never become '\(state)': no move from an initial state leads there", at: location, rule: Self.rule)
            failed = true
        }
        return failed ? nil : machine
    }
}
