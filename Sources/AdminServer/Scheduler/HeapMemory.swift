#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator settings for a long-running `launchq serve` (issue 13). No-ops where the C library is not glibc.
///
/// glibc gives each thread that allocates under contention its own arena (up to 8 per core), and keeps what a
/// run freed in them: a reconcile of a large fleet on NIO's and the concurrency pool's threads left serve's
/// resident memory well above what it still used.
public enum HeapMemory {
    /// Arenas serve allocates from (glibc's `M_ARENA_MAX`): few, so freed memory is found again by the next run.
    public static let arenas: Int32 = 2

    /// Blocks at least this large are mapped on their own and unmapped when freed (glibc's `M_MMAP_THRESHOLD`).
    /// Setting it also stops glibc from raising the threshold each time such a block is freed (up to 32 MiB): a run's
    /// large buffers (a W&B answer, a page of rows) would otherwise come from the arenas and leave holes there.
    public static let mappedBlockBytes: Int32 = 256 * 1024

    /// Caps glibc's arenas at ``arenas`` and fixes the mapping threshold at ``mappedBlockBytes``; call once, early.
    public static func limitArenas() {
        #if canImport(Glibc)
        // `malloc.h` is not in the Glibc module: look the functions up by name.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        let (arenaMax, mmapThreshold): (Int32, Int32) = (-8, -3)  // M_ARENA_MAX, M_MMAP_THRESHOLD
        _ = mallopt(arenaMax, arenas)
        _ = mallopt(mmapThreshold, mappedBlockBytes)
        #endif
    }

    /// Returns the free memory at the top and inside glibc's arenas to the system (`malloc_trim(0)`): after a
    /// reconcile, which frees a fleet's worth of answers and plans at once.
    public static func giveBack() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        _ = trim(0)
        #endif
    }
}
