import Foundation
import SQLSyntax

/// Reads a named-queries file: each statement follows a `-- name: Name :one|:many|:exec|:execrows`
/// header; the comment lines after the header document it, and an optional `-- params: a, b`
/// line names `$1`, `$2`, … for the generated function.
enum QueryFileParser {
    struct Entry {
        var name: String
        var kind: NamedQuery.Kind
        var doc: [String]
        var parameterNames: [String]
        var statement: SQLStatement
        var location: SourceLocation
    }

    static func parse(_ text: String, file: String, diagnostics: inout DiagnosticCollector) -> [Entry] {
        struct Header {
            var name: String, kind: NamedQuery.Kind, doc: [String], parameterNames: [String], line: Int
        }
        var headers: [Header] = []
        let lines = text.components(separatedBy: "\n")
        var index = 0
        while index < lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            index += 1
            guard line.hasPrefix("-- name:") else { continue }
            let parts = line.dropFirst("-- name:".count).split(separator: " ", omittingEmptySubsequences: true)
            let location = SourceLocation(file: file, line: index, column: 1)
            guard parts.count == 2, parts[1].hasPrefix(":"), let kind = NamedQuery.Kind(rawValue: String(parts[1].dropFirst())) else {
                diagnostics.error("a query header is `-- name: Name :one|:many|:exec|:execrows`", at: location, rule: "sql-query")
                continue
            }
            let name = String(parts[0])
            guard name.first?.isLetter == true, name.allSatisfy({ $0.isLetter || $0.isNumber }) else {
                diagnostics.error("query name \(name) must be letters and digits (it names a Swift function)", at: location, rule: "sql-query")
                continue
            }
            if headers.contains(where: { $0.name == name }) {
                diagnostics.error("query \(name) is declared twice in this file", at: location, rule: "sql-query")
            }
            var doc: [String] = []
            var parameterNames: [String] = []
            while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("--") {
                let comment = lines[index].trimmingCharacters(in: .whitespaces).dropFirst(2).trimmingCharacters(in: .whitespaces)
                index += 1
                if comment.hasPrefix("params:") {
                    parameterNames = comment.dropFirst("params:".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                } else if comment.hasPrefix("name:") {
                    index -= 1
                    break
                } else {
                    doc.append(comment)
                }
            }
            headers.append(Header(name: name, kind: kind, doc: doc, parameterNames: parameterNames, line: index))
        }

        let statements: [SQLStatement]
        do {
            statements = try SQLStatement.split(text)
        } catch {
            diagnostics.error(error.message, at: SourceLocation(file: file, line: error.line, column: error.column), rule: "sql-syntax")
            return []
        }
        var entries: [Entry] = []
        var used = Set<Int>()
        for statement in statements {
            guard let headerIndex = headers.lastIndex(where: { $0.line < statement.line }) else {
                diagnostics.error("this statement has no `-- name: Name :kind` header", at: SourceLocation(file: file, line: statement.line, column: statement.column), rule: "sql-query")
                continue
            }
            let header = headers[headerIndex]
            guard used.insert(headerIndex).inserted else {
                diagnostics.error("query \(header.name) has more than one statement; give each its own header", at: SourceLocation(file: file, line: statement.line, column: statement.column), rule: "sql-query")
                continue
            }
            entries.append(Entry(
                name: header.name, kind: header.kind, doc: header.doc, parameterNames: header.parameterNames, statement: statement,
                location: SourceLocation(file: file, line: statement.line, column: statement.column)))
        }
        for (offset, header) in headers.enumerated() where !used.contains(offset) {
            diagnostics.error("query \(header.name) has no statement", at: SourceLocation(file: file, line: header.line, column: 1), rule: "sql-query")
        }
        return entries
    }
}
