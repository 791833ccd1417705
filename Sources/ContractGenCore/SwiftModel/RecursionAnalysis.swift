/// Finds the component schemas that contain themselves by value (`Node.parent: Node`, or
/// `A.b: B` with `B.a: A`). A Swift struct cannot hold itself, so properties referring to such
/// a schema are stored through `@Indirect` (a box); arrays, maps and unions (indirect enums)
/// already break the cycle and need nothing.
enum RecursionAnalysis {
    /// The names of component schemas that lie on a by-value reference cycle.
    static func recursiveComponents(_ schemas: [String: SchemaModel]) -> Set<String> {
        var edges: [String: [String]] = [:]
        for (name, schema) in schemas {
            var targets: [String] = []
            collectByValueReferences(schema, into: &targets)
            edges[name] = targets.filter { schemas[$0] != nil }
        }
        var finder = CycleFinder(edges: edges)
        for name in schemas.keys.sorted() where finder.index[name] == nil {
            finder.visit(name)
        }
        return finder.cyclic
    }

    /// References reached without passing through an array, a map or a union.
    private static func collectByValueReferences(_ schema: SchemaModel, into targets: inout [String]) {
        switch schema.shape {
        case .reference(let name):
            targets.append(name)
        case .object(let object):
            for property in object.properties { collectByValueReferences(property.schema, into: &targets) }
        default:
            break
        }
    }

    /// Tarjan's strongly-connected components; a component is cyclic when it has several
    /// members or one member referring to itself.
    private struct CycleFinder {
        let edges: [String: [String]]
        var index: [String: Int] = [:]
        var lowLink: [String: Int] = [:]
        var stack: [String] = []
        var onStack: Set<String> = []
        var cyclic: Set<String> = []

        init(edges: [String: [String]]) { self.edges = edges }

        mutating func visit(_ name: String) {
            index[name] = index.count
            lowLink[name] = index[name]
            stack.append(name)
            onStack.insert(name)
            for target in edges[name] ?? [] {
                if index[target] == nil {
                    visit(target)
                    lowLink[name] = min(lowLink[name]!, lowLink[target]!)
                } else if onStack.contains(target) {
                    lowLink[name] = min(lowLink[name]!, index[target]!)
                }
            }
            guard lowLink[name] == index[name] else { return }
            var members: [String] = []
            while let top = stack.popLast() {
                onStack.remove(top)
                members.append(top)
                if top == name { break }
            }
            if members.count > 1 || (edges[name] ?? []).contains(name) { cyclic.formUnion(members) }
        }
    }
}
