import Declarations
import Planning
import WandbModel

extension Observer {
    /// This observer, reading each managed queue's backlog in its batched entity reads (`on`), or not: no extra
    /// request either way (``EntityReadParts/backlog``). `launchq serve` reads it; `plan`, `apply` and `import`
    /// do not, so their documents stay as they were.
    public func readingBacklog(_ on: Bool = true) -> Observer {
        var observer = self
        if on { observer.parts.insert(.backlog) } else { observer.parts.remove(.backlog) }
        return observer
    }

    /// Whether this observer reads the backlog.
    public var readsBacklog: Bool { parts.contains(.backlog) }

    /// The backlog of every RunQueue `declarations` declare, as `observed` holds it, sorted by entity and queue.
    /// A queue that does not exist (yet), or whose backlog the server could not answer, is left out: the backlog
    /// is for monitoring and never fails a reconcile.
    public static func backlog(of observed: ObservedState, declarations: [Declaration]) -> [QueueBacklog] {
        declarations.compactMap { declaration -> QueueBacklog? in
            guard case .runQueue(let queue) = declaration.object else { return nil }
            return observed.entities[queue.entity]?.queues[queue.name]?.backlog
        }.sorted { ($0.entity, $0.queue) < ($1.entity, $1.queue) }
    }
}
