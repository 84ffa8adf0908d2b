package io.minkstream.jobs.sensor;

import java.util.Arrays;

/**
 * Measures how long {@link StreetSceneSimulator#frame} takes on one thread: warms up, then prints the
 * median and the 90th percentile over {@code frames} frames. Not a test (timings on a shared build box
 * are noise); run it by hand:
 *
 * <pre>java -cp jobs/target/classes io.minkstream.jobs.sensor.SimulatorScanTiming [frames] [beams] [azimuthSteps]</pre>
 */
public final class SimulatorScanTiming {

    private SimulatorScanTiming() {
    }

    public static void main(String[] args) {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        SimulatorOptions.Builder builder = SimulatorOptions.builder();
        if (args.length > 1) {
            builder.beams(Integer.parseInt(args[1]));
        }
        if (args.length > 2) {
            builder.azimuthSteps(Integer.parseInt(args[2]));
        }
        SimulatorOptions options = builder.build();
        StreetSceneSimulator simulator = new StreetSceneSimulator(options);
        long points = 0;
        for (int i = 0; i < 300; i++) {
            points += simulator.frame("lidar-" + (i % 2), i).pointCount();
        }
        long[] nanos = new long[frames];
        long moving = 0;
        for (int i = 0; i < frames; i++) {
            long begin = System.nanoTime();
            ScanFrame frame = simulator.frame("lidar-" + (i % 2), 1000 + i);
            nanos[i] = System.nanoTime() - begin;
            points += frame.pointCount();
            for (int label : frame.labels()) {
                moving += label;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("%d x %d scan, %d frames: median %.2f ms, p90 %.2f ms, max %.2f ms; "
                        + "%.0f points and %.0f moving points per frame (checksum %d)%n",
                options.beams(), options.azimuthSteps(), frames, nanos[frames / 2] / 1e6,
                nanos[(int) (frames * 0.9)] / 1e6, nanos[frames - 1] / 1e6,
                (double) points / (300 + frames), (double) moving / frames, points);
    }
}
