/// A string enum's lifecycle as the contract declares it (`x-state-machine` on the schema): where
/// a value starts, which moves are allowed and who may make each. The generated code, the checks
/// of the named queries that write the state and the docs are all made from this one declaration.
public struct StateMachineModel: Sendable, Hashable {
    /// One allowed move and who may make it.
    public struct Move: Sendable, Hashable {
        public var from: String
        public var to: String
        /// The actors that may make it, in contract order.
        public var by: [String]

        public init(from: String, to: String, by: [String]) {
            self.from = from
            self.to = to
            self.by = by
        }
    }

    /// The enum's values, in contract order.
    public var states: [String]
    /// Where a new value starts.
    public var initial: [String]
    /// Every actor named by a move, in order of first appearance.
    public var actors: [String]
    /// The moves, in contract order (a move listed twice is kept once, its actors merged).
    public var moves: [Move]
    /// Where `x-state-machine` is written.
    public var location: SourceLocation?

    public init(states: [String], initial: [String], actors: [String], moves: [Move], location: SourceLocation?) {
        self.states = states
        self.initial = initial
        self.actors = actors
        self.moves = moves
        self.location = location
    }

    /// The states no move leaves.
    public var finalStates: [String] {
        let left = Set(moves.map(\.from))
        return states.filter { !left.contains($0) }
    }

    /// Whether some actor may move from `from` to `to`.
    public func allows(from: String, to: String) -> Bool {
        moves.contains { $0.from == from && $0.to == to }
    }
}
