/// Splits a SQL script into single statements.
///
/// PostgresNIO sends every query with the extended protocol, which accepts one statement at a time, so a
/// migration file is split on top-level `;`. Quotes (`'…'`, `E'…'`, `"…"`), dollar quotes (`$tag$…$tag$`),
/// `--` comments and nested `/* … */` comments are respected. Pure; no I/O.
public struct SQLScript: Sendable {
    /// One statement and the 1-based line it starts on.
    public struct Statement: Sendable, Hashable {
        public var sql: String
        public var line: Int
    }

    /// The statements in order, without their terminating `;`; blank and comment-only pieces are dropped.
    public let statements: [Statement]

    /// Splits `text`.
    public init(_ text: String) {
        let chars = Array(text.unicodeScalars)
        var statements: [Statement] = []
        var current = String.UnicodeScalarView()
        var line = 1
        var startLine = 1
        var hasCode = false
        var i = 0

        func flush() {
            if hasCode {
                let sql = String(current).trimmingWhitespace()
                if !sql.isEmpty { statements.append(Statement(sql: sql, line: startLine)) }
            }
            current = String.UnicodeScalarView()
            hasCode = false
        }
        func take(_ n: Int) {
            for _ in 0..<n where i < chars.count {
                if chars[i] == "\n" { line += 1 }
                // Comments and blank lines before a statement's first token are not part of it.
                if hasCode { current.append(chars[i]) }
                i += 1
            }
        }
        func markCode() {
            if !hasCode { hasCode = true; startLine = line }
        }
        func at(_ offset: Int) -> Unicode.Scalar? { i + offset < chars.count ? chars[i + offset] : nil }

        while i < chars.count {
            let c = chars[i]
            if c == "-" && at(1) == "-" {
                while i < chars.count && chars[i] != "\n" { take(1) }
            } else if c == "/" && at(1) == "*" {
                var depth = 0
                repeat {
                    if chars[i] == "/" && at(1) == "*" { depth += 1; take(2) }
                    else if chars[i] == "*" && at(1) == "/" { depth -= 1; take(2) }
                    else { take(1) }
                } while depth > 0 && i < chars.count
            } else if c == "'" || c == "\"" {
                markCode()
                let escapes = c == "'" && i > 0 && (chars[i - 1] == "E" || chars[i - 1] == "e")
                take(1)
                while i < chars.count {
                    if escapes && chars[i] == "\\" { take(2); continue }
                    if chars[i] == c {
                        if at(1) == c { take(2); continue }
                        take(1)
                        break
                    }
                    take(1)
                }
            } else if c == "$", let tag = SQLScript.dollarTag(chars, at: i) {
                markCode()
                take(tag.count)
                while i < chars.count {
                    if chars[i] == "$", Array(chars[i..<min(chars.count, i + tag.count)]) == tag { take(tag.count); break }
                    take(1)
                }
            } else if c == ";" {
                i += 1
                flush()
            } else {
                if !c.properties.isWhitespace { markCode() }
                take(1)
            }
        }
        flush()
        self.statements = statements
    }

    /// `$tag$` or `$$` starting at `index`, if it is a dollar-quote opener (not a `$1` parameter).
    private static func dollarTag(_ chars: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]? {
        var j = index + 1
        while j < chars.count {
            let c = chars[j]
            if c == "$" { return Array(chars[index...j]) }
            let isTagChar = c == "_" || c.properties.isAlphabetic || (j > index + 1 && ("0"..."9").contains(c))
            if !isTagChar { return nil }
            j += 1
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
