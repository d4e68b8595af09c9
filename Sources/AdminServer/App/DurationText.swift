import Foundation

/// Durations as people write them in settings: `30s`, `5m`, `1h`, `1h30m`, `500ms`, or plain seconds (`90`). Pure.
public enum DurationText {
    /// The duration, or `nil` when `text` is not one (or is zero or negative).
    public static func parse(_ text: String) -> Duration? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let seconds = Int(text) { return seconds > 0 ? .seconds(seconds) : nil }
        var total: Duration = .zero
        var number = ""
        var index = text.startIndex
        var sawUnit = false
        while index < text.endIndex {
            let character = text[index]
            if character.isASCII, character.isNumber {
                number.append(character)
                index = text.index(after: index)
                continue
            }
            guard let value = Int(number) else { return nil }
            let rest = text[index...]
            let unit: Duration
            if rest.hasPrefix("ms") {
                unit = .milliseconds(1)
                index = text.index(index, offsetBy: 2)
            } else {
                switch character {
                case "s": unit = .seconds(1)
                case "m": unit = .seconds(60)
                case "h": unit = .seconds(3600)
                case "d": unit = .seconds(86400)
                default: return nil
                }
                index = text.index(after: index)
            }
            total += unit * value
            number = ""
            sawUnit = true
        }
        guard sawUnit, number.isEmpty, total > .zero else { return nil }
        return total
    }
}

extension Duration {
    /// `12s`, `1m30s`: a duration as people write it, to whole seconds.
    func formatted() -> String {
        let seconds = Int(components.seconds)
        if seconds < 60 { return "\(seconds)s" }
        return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s"
    }
}
