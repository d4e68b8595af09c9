import Foundation

/// Bounds how many heavy tests run at once in this test process: those with a database, an in-process W&B sandbox
/// or their own PostgreSQL cluster (the harness entry points take a slot: ``TestDatabase``, ``TestSandbox/with(_:_:)``).
///
/// Swift Testing starts every test of every suite together. On a 2-core machine that made a test's in-process
/// service 20 times slower than alone (the admin API's 10 s database deadline then answered 503 to a push in
/// `aPushedRevisionBecomesReadyObjectsOnWandb`): every wall-clock limit (request deadlines, lease take-overs,
/// polls) was exposed to however many other tests happened to run. With at most ``width`` heavy tests at once, a
/// test runs at most that many ways shared. A test already holding a slot does not take a second one, so nested
/// harnesses (a sandbox inside a database scope) never wait for themselves.
public enum TestSlots {
    /// `LAUNCHQ_TEST_SLOTS`, else twice the processor count (4 on a 2-core machine).
    public static let width: Int = {
        if let text = Repository.environment["LAUNCHQ_TEST_SLOTS"], let value = Int(text), value > 0 { return value }
        return max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)
    }()

    @TaskLocal static var holding = false

    private static let semaphore = AsyncSemaphore(width)

    /// Runs `body` holding a slot (waiting for one first unless this task already holds one).
    public static func run<T>(_ body: () async throws -> T) async rethrows -> T {
        if holding { return try await body() }
        await semaphore.wait()
        do {
            let result = try await $holding.withValue(true) { try await body() }
            await semaphore.signal()
            return result
        } catch {
            await semaphore.signal()
            throw error
        }
    }
}

/// A counting semaphore for async code: waiters are resumed in arrival order.
actor AsyncSemaphore {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { available = count }

    func wait() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func signal() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
