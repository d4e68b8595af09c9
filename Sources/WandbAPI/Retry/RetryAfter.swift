import Foundation

/// Parsing of the `Retry-After` response header (RFC 9110 §10.2.3).
public enum RetryAfter {
    /// The wait a `Retry-After` value asks for: a number of seconds (fractions accepted, as
    /// the W&B SDK does) or an HTTP date, measured from `now`. `nil` when unparseable;
    /// a date in the past gives zero.
    public static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds.isFinite {
            return seconds <= 0 ? .zero : .milliseconds(Int64((seconds * 1000).rounded()))
        }
        guard let date = httpDate(text) else { return nil }
        let interval = date.timeIntervalSince(now)
        return interval <= 0 ? .zero : .milliseconds(Int64((interval * 1000).rounded()))
    }

    /// The wait of a response's headers: only when there is exactly one `Retry-After`
    /// (as the W&B SDK does).
    public static func wait(in values: [String], now: Date = Date()) -> Duration? {
        guard values.count == 1, let only = values.first else { return nil }
        return parse(only, now: now)
    }

    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
