package io.minkstream.operators.inference;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the derived-data cache of incremental windows, reported as Flink metrics. */
public final class CacheStats {
    final AtomicLong hits = new AtomicLong();
    final AtomicLong misses = new AtomicLong();
    final AtomicLong evictions = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong rebuildNanos = new AtomicLong();
    final AtomicLong kernelMapNanos = new AtomicLong();

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    public long evictions() {
        return evictions.get();
    }

    public long bytes() {
        return bytes.get();
    }

    /** Time spent building per-frame kernel maps. */
    public long kernelMapNanos() {
        return kernelMapNanos.get();
    }

    /** Time spent recomputing frames other than the newest (after a restore or an eviction). */
    public long rebuildNanos() {
        return rebuildNanos.get();
    }
}
