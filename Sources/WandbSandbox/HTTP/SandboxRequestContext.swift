import Hummingbird
import NIOCore

/// The Hummingbird request context of the sandbox: the basic one plus the connection, so a fault can drop it.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
