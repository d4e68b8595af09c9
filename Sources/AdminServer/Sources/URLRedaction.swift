import Foundation

/// Hides credentials in repository URLs before they reach a log, an error or a revision.
public enum URLRedaction {
    /// `https://user:token@host/x` → `https://***@host/x`; text without credentials is returned unchanged.
    ///
    /// Every `scheme://userinfo@` in `text` is rewritten, so git's own messages can be passed through it too.
    public static func redact(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let marker = rest.range(of: "://") {
            result += rest[..<marker.upperBound]
            rest = rest[marker.upperBound...]
            // The authority ends at the first '/', whitespace or quote; userinfo is what precedes its last '@'.
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "'" || $0 == "\"" || $0.isWhitespace } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                result += "***@"
                rest = rest[rest.index(after: at)...]
            }
        }
        return result + rest
    }
}
