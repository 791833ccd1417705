import Foundation

/// The JSON-Schema constraint checks generated validators call; each adds a readable issue.
public enum Check {
    public static func length(_ value: String, min: Int?, max: Int?, at path: JSONPath, into issues: inout FieldIssues) {
        let count = value.unicodeScalars.count
        if let min, count < min { issues.add(path, "must be at least \(min) characters long") }
        if let max, count > max { issues.add(path, "must be at most \(max) characters long") }
    }

    public static func pattern(_ value: String, _ pattern: ContractPattern, at path: JSONPath, into issues: inout FieldIssues) {
        if !pattern.matches(value) { issues.add(path, "must match the pattern \(pattern.source)") }
    }

    public static func range<N: BinaryInteger>(
        _ value: N, minimum: Int64? = nil, exclusiveMinimum: Int64? = nil, maximum: Int64? = nil, exclusiveMaximum: Int64? = nil,
        at path: JSONPath, into issues: inout FieldIssues
    ) {
        let v = Int64(clamping: value)
        if let minimum, v < minimum { issues.add(path, "must be at least \(minimum)") }
        if let exclusiveMinimum, v <= exclusiveMinimum { issues.add(path, "must be greater than \(exclusiveMinimum)") }
        if let maximum, v > maximum { issues.add(path, "must be at most \(maximum)") }
        if let exclusiveMaximum, v >= exclusiveMaximum { issues.add(path, "must be less than \(exclusiveMaximum)") }
    }

    public static func range(
        _ value: Double, minimum: Double? = nil, exclusiveMinimum: Double? = nil, maximum: Double? = nil, exclusiveMaximum: Double? = nil,
        at path: JSONPath, into issues: inout FieldIssues
    ) {
        if let minimum, value < minimum { issues.add(path, "must be at least \(display(minimum))") }
        if let exclusiveMinimum, value <= exclusiveMinimum { issues.add(path, "must be greater than \(display(exclusiveMinimum))") }
        if let maximum, value > maximum { issues.add(path, "must be at most \(display(maximum))") }
        if let exclusiveMaximum, value >= exclusiveMaximum { issues.add(path, "must be less than \(display(exclusiveMaximum))") }
    }

    public static func multiple<N: BinaryInteger>(_ value: N, of divisor: Int64, at path: JSONPath, into issues: inout FieldIssues) {
        if divisor != 0, !Int64(clamping: value).isMultiple(of: divisor) { issues.add(path, "must be a multiple of \(divisor)") }
    }

    public static func multiple(_ value: Double, of divisor: Double, at path: JSONPath, into issues: inout FieldIssues) {
        guard divisor != 0 else { return }
        let quotient = value / divisor
        if abs(quotient - quotient.rounded()) > 1e-9 * max(1, abs(quotient)) {
            issues.add(path, "must be a multiple of \(display(divisor))")
        }
    }

    public static func items<C: Collection>(_ value: C, min: Int?, max: Int?, at path: JSONPath, into issues: inout FieldIssues) {
        if let min, value.count < min { issues.add(path, "must have at least \(min) item\(min == 1 ? "" : "s")") }
        if let max, value.count > max { issues.add(path, "must have at most \(max) item\(max == 1 ? "" : "s")") }
    }

    public static func unique<Element: Hashable>(_ value: [Element], at path: JSONPath, into issues: inout FieldIssues) {
        var seen = Set<Element>()
        for (index, element) in value.enumerated() where !seen.insert(element).inserted {
            issues.add(path.appending(index), "duplicates an earlier item; items must be unique")
        }
    }

    public static func properties(count: Int, min: Int?, max: Int?, at path: JSONPath, into issues: inout FieldIssues) {
        if let min, count < min { issues.add(path, "must have at least \(min) propert\(min == 1 ? "y" : "ies")") }
        if let max, count > max { issues.add(path, "must have at most \(max) propert\(max == 1 ? "y" : "ies")") }
    }

    /// An `anyOf` rule across an object's properties: at least one condition holds.
    public static func anyOf(_ conditions: [Bool], _ summaries: [String], at path: JSONPath, into issues: inout FieldIssues) {
        if !conditions.contains(true) { issues.add(path, "needs \(summaries.joined(separator: " or "))") }
    }

    /// A `oneOf` rule across an object's properties: exactly one condition holds.
    public static func oneOf(_ conditions: [Bool], _ summaries: [String], at path: JSONPath, into issues: inout FieldIssues) {
        if conditions.count(where: { $0 }) != 1 { issues.add(path, "needs exactly one of: \(summaries.joined(separator: "; "))") }
    }

    /// A `not` rule across an object's properties: the condition does not hold.
    public static func not(_ condition: Bool, _ summary: String, at path: JSONPath, into issues: inout FieldIssues) {
        if condition { issues.add(path, "cannot have \(summary)") }
    }

    public static func allowed<T: Equatable & CustomStringConvertible>(_ value: T, in allowed: [T], at path: JSONPath, into issues: inout FieldIssues) {
        if !allowed.contains(value) {
            issues.add(path, "must be one of \(allowed.map(\.description).joined(separator: ", "))")
        }
    }

    public static func format(_ value: String, _ format: StringFormat, at path: JSONPath, into issues: inout FieldIssues) {
        if !format.accepts(value) { issues.add(path, "must be a valid \(format.rawValue)") }
    }

    private static func display(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
