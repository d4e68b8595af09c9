extension DoctorReport {
    /// The report as a table for people, with a verdict line:
    ///
    /// ```text
    /// W&B server http://127.0.0.1:8181: user admin (instance admin)
    /// CHECK         SUBJECT          STATUS  DETAIL
    /// viewer        admin            ok      the API key belongs to admin, an instance admin
    /// mutation      UpsertRunQueue   ok      accepted (ill-typed variables refused before anything ran)
    /// compatible: launchq can work with this server
    /// ```
    public var text: String {
        var lines: [String] = []
        var heading = "W&B server \(server)"
        if let user { heading += ": user \(user.username)" + (user.admin ? " (instance admin)" : " (not an instance admin)") }
        lines.append(heading)
        let rows = [["CHECK", "SUBJECT", "STATUS", "DETAIL"]]
            + checks.map { [$0.check, $0.subject, $0.status.rawValue, $0.detail] }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            var line = ""
            for column in 0..<3 { line += row[column].padding(toLength: widths[column] + 2) }
            lines.append(line + row[3])
        }
        switch exitCode {
        case 0: lines.append("compatible: launchq can work with this server")
        case 1:
            lines.append("not compatible: " + failures.map { "\($0.check) \($0.subject)" }.joined(separator: ", "))
        default: lines.append("cannot connect: " + (checks.last?.detail ?? "no answer"))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// The string followed by spaces up to `length` characters (never cut).
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
