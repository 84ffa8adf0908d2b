package io.minkstream.jobs.demo;

import java.util.Arrays;
import java.util.Locale;

/**
 * The numbers of the demo's one summary line, and the line itself:
 * {@code demo: frames_in=<n> frames_out=<n> rejected=<n> voxels_per_window=<median> throughput_fps=<x>
 * latency_ms_p50=<x> latency_ms_p99=<x> moving_precision=<x> moving_recall=<x>}.
 *
 * <p>frames_in counts every record published, bad ones included, so a run that lost nothing has
 * frames_out = frames_in - rejected. throughput_fps = frames_out / (time from the first publish, or the
 * job's submission when that came later, to the last output read). Latencies are the job's {@code processingLatencyMicros} (the frame read from Kafka to its
 * result emitted; the transaction commit at the next checkpoint comes on top), nearest-rank
 * percentiles. A value that cannot be computed (no outputs, no ground truth) prints as {@code n/a}.
 */
public record DemoSummary(long framesIn, long framesOut, long rejected, long voxelsPerWindowMedian, double throughputFps,
                          double latencyMsP50, double latencyMsP99, double movingPrecision, double movingRecall) {

    /** Summarises what the tracker saw; {@code startNanos} (System.nanoTime) starts the throughput's clock. */
    public static DemoSummary of(long framesIn, long startNanos, ResultTracker.Results r) {
        double seconds = (r.lastOutputNanos() - startNanos) / 1e9;
        double throughput = r.outputs() > 0 && seconds > 0 ? r.outputs() / seconds : Double.NaN;
        long[] latency = r.latencyMicros().clone();
        Arrays.sort(latency);
        long[] voxels = r.voxelsPerWindow().clone();
        Arrays.sort(voxels);
        long tp = r.truePositives();
        double precision = tp + r.falsePositives() > 0 ? tp / (double) (tp + r.falsePositives()) : Double.NaN;
        double recall = tp + r.falseNegatives() > 0 ? tp / (double) (tp + r.falseNegatives()) : Double.NaN;
        return new DemoSummary(framesIn, r.outputs(), r.rejected(), voxels.length == 0 ? 0 : voxels[(voxels.length - 1) / 2],
                throughput, percentile(latency, 50) / 1000.0, percentile(latency, 99) / 1000.0, precision, recall);
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Whether every published record came out once: as a result or as a dead letter. */
    public boolean complete() {
        return framesOut == framesIn - rejected;
    }

    public String line() {
        return "demo: frames_in=" + framesIn + " frames_out=" + framesOut + " rejected=" + rejected
                + " voxels_per_window=" + voxelsPerWindowMedian
                + " throughput_fps=" + format(throughputFps, 2)
                + " latency_ms_p50=" + format(latencyMsP50, 2) + " latency_ms_p99=" + format(latencyMsP99, 2)
                + " moving_precision=" + format(movingPrecision, 3) + " moving_recall=" + format(movingRecall, 3);
    }

    private static String format(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
