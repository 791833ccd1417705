import Mustache

/// The moves of a state-machine enum (`x-state-machine`) as an extension of the enum: who may move
/// it, where it starts and ends, and which moves each actor may make. Rendered by
/// `state-machine.mustache`, after the API enum and after the database enum of a column bound to it.
struct StateMachineDeclaration: Sendable {
    /// Moves from one state that the same actors may make.
    struct MoveGroup: Sendable, MustacheParent {
        /// `(from, to)` case names.
        var pairs: [Pair]
        /// Actor case names.
        var actors: [String]

        func child(named name: String) -> Any? {
            switch name {
            case "pairs": pairs
            case "actors": actors
            default: nil
            }
        }
    }

    /// One move, as the enum's case names.
    struct Pair: Sendable, MustacheParent {
        var from: String
        var to: String

        func child(named name: String) -> Any? {
            switch name {
            case "from": from
            case "to": to
            default: nil
            }
        }
    }

    var access: String
    /// The enum's Swift name.
    var type: String
    /// The schema that declares the machine, and where (`TaskStatus`, `contracts/api/v1/tasks.yaml:364`).
    var schema: String
    var source: String
    var actors: [StringEnumDeclaration.Case]
    var initial: [String]
    var final: [String]
    var groups: [MoveGroup]

    /// The declaration for `machine` on the enum `type`, whose case for each state value is in `cases`.
    init(access: String, type: String, schema: String, source: String, machine: StateMachineModel, cases: [StringEnumDeclaration.Case]) {
        let member = Dictionary(cases.map { ($0.raw, $0.name) }, uniquingKeysWith: { first, _ in first })
        let caseName = { (state: String) in member[SwiftNaming.literal(state)] ?? SwiftNaming.memberName(state) }
        var usedActors: Set<String> = []
        var actorCases: [StringEnumDeclaration.Case] = []
        var actorName: [String: String] = [:]
        for actor in machine.actors {
            var name = SwiftNaming.memberName(actor)
            while usedActors.contains(name) { name += "_" }
            usedActors.insert(name)
            actorName[actor] = name
            actorCases.append(StringEnumDeclaration.Case(name: name, raw: SwiftNaming.literal(actor)))
        }
        var groups: [MoveGroup] = []
        for state in machine.states {
            var byActors: [[String]: [Pair]] = [:]
            var order: [[String]] = []
            for move in machine.moves where move.from == state {
                let actors = machine.actors.filter(move.by.contains).map { actorName[$0]! }
                if byActors[actors] == nil { order.append(actors) }
                byActors[actors, default: []].append(Pair(from: caseName(move.from), to: caseName(move.to)))
            }
            groups += order.map { MoveGroup(pairs: byActors[$0]!, actors: $0) }
        }
        self.access = access
        self.type = type
        self.schema = schema
        self.source = source
        self.actors = actorCases
        self.initial = machine.initial.map(caseName)
        self.final = machine.finalStates.map(caseName)
        self.groups = groups
    }
}

extension StateMachineDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "access": access
        case "type": type
        case "schema": schema
        case "source": source
        case "actors": actors
        case "initial": initial
        case "final": final
        case "groups": groups
        default: nil
        }
    }
}
