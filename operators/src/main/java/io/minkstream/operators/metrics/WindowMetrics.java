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

    public void frameOut(int voxels, long networkNanos, long latencyMicros) {
        framesOut.inc();
        voxelsPerWindow.update(voxels);
        networkMillis.update(networkNanos / 1_000_000);
        latencyMillis.update(latencyMicros / 1000);
    }
}
