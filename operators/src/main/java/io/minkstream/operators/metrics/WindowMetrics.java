package io.minkstream.operators.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The window operator's metrics: frames out, voxels per window, network time and end-to-end
 * latency (histograms over the last 1000 frames, in milliseconds).
 */
public final class WindowMetrics {
    private static final int HISTORY = 1000;

    private final Counter framesOut;
    private final Histogram voxelsPerWindow;
    private final Histogram networkMillis;
    private final Histogram latencyMillis;

    public WindowMetrics(MetricGroup group) {
        framesOut = group.counter("framesOut");
        voxelsPerWindow = group.histogram("voxelsPerWindow", new DescriptiveStatisticsHistogram(HISTORY));
        networkMillis = group.histogram("networkTimeMs", new DescriptiveStatisticsHistogram(HISTORY));
        latencyMillis = group.histogram("endToEndLatencyMs", new DescriptiveStatisticsHistogram(HISTORY));
    }

    /** Gauges of the incremental window's cache: hits, misses, bytes, evictions, rebuild time. */
    public static void watch(MetricGroup group, io.minkstream.operators.inference.CacheStats stats) {
        MetricGroup g = group.addGroup("windowCache");
        g.gauge("hits", (org.apache.flink.metrics.Gauge<Long>) stats::hits);
        g.gauge("misses", (org.apache.flink.metrics.Gauge<Long>) stats::misses);
        g.gauge("bytes", (org.apache.flink.metrics.Gauge<Long>) stats::bytes);
        g.gauge("evictions", (org.apache.flink.metrics.Gauge<Long>) stats::evictions);
        g.gauge("rebuildTimeMs", (org.apache.flink.metrics.Gauge<Long>) () -> stats.rebuildNanos() / 1_000_000);
    }

    public void frameOut(int voxels, long networkNanos, long latencyMicros) {
        framesOut.inc();
        voxelsPerWindow.update(voxels);
        networkMillis.update(networkNanos / 1_000_000);
        latencyMillis.update(latencyMicros / 1000);
    }
}
