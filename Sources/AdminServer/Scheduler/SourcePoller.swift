import Logging
import ServiceLifecycle

/// Pulls a git source every `interval` between scheduled reconciles, and asks for a reconcile when a new
/// revision was published. Only the leader publishes (others would race for the same revision).
struct SourcePoller: Service {
    let sync: SourceSync
    let scheduler: Scheduler
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, scheduler.status.leader else { continue }
                do {
                    if case .published = try await sync.sync(pull: true) {
                        _ = await scheduler.submit(ReconcileRequest(trigger: "source"), wait: false)
                    }
                } catch {
                    logger.error("could not pull the declaration source", metadata: ["error": "\(ReconcileRunner.describe(error))"])
                }
            }
        }
    }
}
