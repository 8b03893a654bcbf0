package io.appmanager.bench;

/**
 * Reads a server's memory after a full collection, so that what is left is what its live objects
 * hold (idle footprint, scenario 2). {@link JvmMemory} for the JVM targets, {@link NodeMemory} for
 * Socket.IO; the columns mean the closest thing each runtime has, which {@link #note()} says.
 */
interface MemoryProbe extends AutoCloseable {

    /**
     * @param heapUsed      heap in use after the collection (JVM: all heap pools; Node: V8 heapUsed)
     * @param heapCommitted heap the process holds from the OS (JVM: committed; Node: V8 heapTotal)
     * @param direct        off-heap buffers (JVM: the NIO "direct" buffer pool; Node: external, which includes arrayBuffers)
     * @param rss           resident set size of the process, from /proc
     */
    record Footprint(long heapUsed, long heapCommitted, long direct, long rss) {
    }

    /** Collects garbage in the server (a full collection), then reads its footprint. */
    Footprint afterFullGc() throws Exception;

    /** What the columns are for this runtime, for the results. */
    String note();

    @Override
    void close();
}
