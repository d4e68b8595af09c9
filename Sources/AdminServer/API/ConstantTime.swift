/// Comparisons whose duration does not depend on where the inputs differ.
enum ConstantTime {
    /// `true` when `a` and `b` hold the same bytes; takes the same time for any two inputs of one length.
    static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        var left = a.makeIterator()
        var right = b.makeIterator()
        // Walk the longer input completely so the time depends on lengths only.
        for _ in 0..<max(a.count, b.count) {
            difference |= (left.next() ?? 0) ^ (right.next() ?? 0xff)
        }
        return difference == 0 && a.count == b.count
    }
}
