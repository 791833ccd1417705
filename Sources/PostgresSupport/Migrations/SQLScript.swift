/// Splits a SQL script into statements at top-level semicolons, skipping `--` and nested `/* */`
/// comments, and not splitting inside quoted strings, quoted identifiers or dollar-quoted bodies
/// (PostgreSQL's extended protocol runs one statement per query).
public enum SQLScript {
    public static func statements(_ script: String) -> [String] {
        let characters = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        func flush() {
            let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { statements.append(text) }
            current = String.UnicodeScalarView()
        }
        func peek(_ offset: Int) -> Unicode.Scalar? {
            index + offset < characters.count ? characters[index + offset] : nil
        }
        while index < characters.count {
            let c = characters[index]
            if c == "-", peek(1) == "-" {
                while index < characters.count, characters[index] != "\n" { index += 1 }
                continue
            }
            if c == "/", peek(1) == "*" {
                var depth = 0
                repeat {
                    if characters[index] == "/", peek(1) == "*" { depth += 1; index += 2; continue }
                    if characters[index] == "*", peek(1) == "/" { depth -= 1; index += 2; continue }
                    index += 1
                } while depth > 0 && index < characters.count
                current.append(" ")
                continue
            }
            if c == "'" || c == "\"" {
                let escapesWithBackslash = c == "'" && index > 0 && (characters[index - 1] == "E" || characters[index - 1] == "e")
                current.append(c)
                index += 1
                while index < characters.count {
                    let d = characters[index]
                    current.append(d)
                    index += 1
                    if escapesWithBackslash, d == "\\", index < characters.count {
                        current.append(characters[index])
                        index += 1
                    } else if d == c {
                        if index < characters.count, characters[index] == c {
                            current.append(c)
                            index += 1
                        } else {
                            break
                        }
                    }
                }
                continue
            }
            if c == "$", let tag = dollarTag(characters, at: index) {
                let tagScalars = Array(tag.unicodeScalars)
                current.append(contentsOf: tagScalars)
                index += tagScalars.count
                while index < characters.count {
                    if characters[index] == "$", index + tagScalars.count <= characters.count,
                       Array(characters[index..<index + tagScalars.count]) == tagScalars {
                        current.append(contentsOf: tagScalars)
                        index += tagScalars.count
                        break
                    }
                    current.append(characters[index])
                    index += 1
                }
                continue
            }
            if c == ";" {
                flush()
                index += 1
                continue
            }
            current.append(c)
            index += 1
        }
        flush()
        return statements
    }

    /// `$tag$` or `$$` starting at `index`, if any.
    private static func dollarTag(_ characters: [Unicode.Scalar], at index: Int) -> String? {
        var end = index + 1
        while end < characters.count {
            let c = characters[end]
            if c == "$" { return String(String.UnicodeScalarView(characters[index...end])) }
            guard c == "_" || c.properties.isAlphabetic || (end > index + 1 && ("0"..."9").contains(c)) else { return nil }
            end += 1
        }
        return nil
    }
}
