/// Reads the fields of a `multipart/form-data` body for a generated `ContractForm`, adding an issue at
/// `path/<field>` for each field that is missing or does not fit.
///
/// A text field is read as the type its schema gives it: the text as a JSON string first (a `string` or an enum),
/// then the text parsed as JSON (a number, a boolean, an object sent as `application/json`); a field given several
/// times, or named `field[]`, is an array. Text fields are limited to `maxTextBytes` each.
public struct FormReader {
    /// The largest text field read (files are bounded only by the body's limit).
    public static let maxTextBytes = 1 << 20

    let parts: [FormPart]
    let path: JSONPath

    public init(_ parts: [FormPart], at path: JSONPath) {
        self.parts = parts
        self.path = path
    }

    /// Adds an issue for each field the form does not declare.
    public func rejectUnknownNames(_ known: Set<String>, issues: inout FieldIssues) {
        var reported: Set<String> = []
        for part in parts where !known.contains(Self.fieldName(part.name)) && reported.insert(part.name).inserted {
            issues.add(path.appending(part.name), "is not a field of this form")
        }
    }

    public func required<T: JSONConvertible>(_ name: String, as type: T.Type = T.self, issues: inout FieldIssues) -> T? {
        let found = texts(name, issues: &issues)
        guard let found else {
            issues.add(path.appending(name), "is required")
            return nil
        }
        return decode(found, at: path.appending(name), issues: &issues)
    }

    public func optional<T: JSONConvertible>(_ name: String, as type: T.Type = T.self, issues: inout FieldIssues) -> T? {
        texts(name, issues: &issues).flatMap { decode($0, at: path.appending(name), issues: &issues) }
    }

    public func requiredNullable<T: JSONConvertible>(_ name: String, as type: T.Type = T.self, issues: inout FieldIssues) -> T? {
        guard let found = texts(name, issues: &issues) else {
            issues.add(path.appending(name), "is required")
            return nil
        }
        return found == ["null"] ? nil : decode(found, at: path.appending(name), issues: &issues)
    }

    public func optionalNullable<T: JSONConvertible>(_ name: String, as type: T.Type = T.self, issues: inout FieldIssues) -> Nullable<T>? {
        guard let found = texts(name, issues: &issues) else { return nil }
        if found == ["null"] { return .null }
        return decode(found, at: path.appending(name), issues: &issues).map(Nullable.value)
    }

    public func required(_ name: String, as type: FormFile.Type, issues: inout FieldIssues) -> FormFile? {
        let found = files(name)
        guard let file = found.first else {
            issues.add(path.appending(name), "is required")
            return nil
        }
        guard found.count == 1 else {
            issues.add(path.appending(name), "must be given once")
            return nil
        }
        return file
    }

    public func optional(_ name: String, as type: FormFile.Type, issues: inout FieldIssues) -> FormFile? {
        let found = files(name)
        guard found.count <= 1 else {
            issues.add(path.appending(name), "must be given once")
            return nil
        }
        return found.first
    }

    public func required(_ name: String, as type: [FormFile].Type, issues: inout FieldIssues) -> [FormFile]? {
        let found = files(name)
        guard !found.isEmpty else {
            issues.add(path.appending(name), "is required")
            return nil
        }
        return found
    }

    public func optional(_ name: String, as type: [FormFile].Type, issues: inout FieldIssues) -> [FormFile]? {
        let found = files(name)
        return found.isEmpty ? nil : found
    }

    /// `name[]` is how many clients send the elements of an array.
    static func fieldName(_ partName: String) -> String {
        partName.hasSuffix("[]") ? String(partName.dropLast(2)) : partName
    }

    private func matching(_ name: String) -> [FormPart] {
        parts.filter { $0.name == name || $0.name == name + "[]" }
    }

    private func files(_ name: String) -> [FormFile] {
        matching(name).map { FormFile(filename: $0.filename, contentType: $0.contentType, bytes: $0.bytes) }
    }

    private func texts(_ name: String, issues: inout FieldIssues) -> [String]? {
        let found = matching(name)
        guard !found.isEmpty else { return nil }
        var texts: [String] = []
        for part in found {
            guard part.bytes.count <= Self.maxTextBytes else {
                issues.add(path.appending(name), "must be at most \(Self.maxTextBytes) bytes")
                return nil
            }
            guard let text = String(validating: part.bytes, as: UTF8.self) else {
                issues.add(path.appending(name), "must be UTF-8 text")
                return nil
            }
            texts.append(text)
        }
        return texts
    }

    /// The first reading of `texts` that `T` accepts without an issue. When none is, the issues of the first reading
    /// of the right type (one that broke a constraint rather than being `…, not string`), else of the most likely one.
    private func decode<T: JSONConvertible>(_ texts: [String], at field: JSONPath, issues: inout FieldIssues) -> T? {
        let parsed = texts.map { text -> JSONValue? in
            guard let value = try? JSONParser.parse(text), value != .string(text) else { return nil }
            return value
        }
        let asJSON = zip(texts, parsed).map { $1 ?? .string($0) }
        var readings: [JSONValue] = texts.count == 1 ? [.string(texts[0])] : []
        if texts.count == 1, let value = parsed[0] { readings.append(value) }
        readings += [.array(texts.map { .string($0) }), .array(asJSON)]
        // Without a reading of the right type: the text as parsed when it is JSON other than a string.
        let likely = texts.count > 1 ? readings.count - 1 : (parsed[0] == nil ? 0 : 1)
        var failures: [FieldIssues] = []
        for reading in readings {
            var scratch = FieldIssues()
            if let value = T(json: reading, at: field, issues: &scratch), scratch.isEmpty { return value }
            failures.append(scratch)
        }
        let reported = failures.first { !$0.isEmpty && !$0.all.contains { $0.reason.contains(", not ") } } ?? failures[likely]
        if reported.isEmpty { issues.add(field, "does not fit its schema") } else { issues.append(contentsOf: reported) }
        return nil
    }
}
