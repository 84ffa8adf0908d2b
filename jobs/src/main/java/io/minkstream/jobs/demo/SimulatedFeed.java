package io.minkstream.jobs.demo;

import io.minkstream.jobs.sensor.ScanFrame;
import io.minkstream.jobs.sensor.SimulatorOptions;
import io.minkstream.jobs.sensor.StreetSceneSimulator;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames of the street-scene simulator: sensors {@code lidar-0}, {@code lidar-1}, ..., each with
 * sequences {@code startSequence} to {@code startSequence + frames - 1}; tick k holds sequence
 * {@code startSequence + k} of every sensor.
 *
 * <p>At a rate of R Hz the simulated LiDAR spins at R Hz and tick k is stamped k / R seconds after the
 * feed was made, the moment it is due. At {@code max} the LiDAR spins at the default 10 Hz and the
 * stamps end at the moment the feed was made, so no frame is ahead of the wall clock however fast the
 * frames go out.
 */
public final class SimulatedFeed implements FrameFeed {
    /** The simulator's scan rate when publishing as fast as possible. */
    static final double DEFAULT_SCAN_HZ = 10;

    private final StreetSceneSimulator simulator;
    private final List<String> sensorIds;
    private final long startSequence;
    private final int frames;

    private SimulatedFeed(StreetSceneSimulator simulator, List<String> sensorIds, long startSequence, int frames) {
        this.simulator = simulator;
        this.sensorIds = sensorIds;
        this.startSequence = startSequence;
        this.frames = frames;
    }

    /**
     * @param frames    frames per sensor
     * @param nowMicros the wall clock when publishing starts
     */
    public static SimulatedFeed create(long seed, int sensors, int frames, long startSequence, Rate rate, long nowMicros) {
        if (sensors < 1) throw new IllegalArgumentException("sensors must be >= 1, got " + sensors);
        if (frames < 0) throw new IllegalArgumentException("frames must be >= 0, got " + frames);
        if (startSequence < 0) throw new IllegalArgumentException("start sequence must be >= 0, got " + startSequence);
        double scanHz = rate.isMax() ? DEFAULT_SCAN_HZ : rate.hz();
        long firstMicros = rate.isMax() ? nowMicros - Math.round(Math.max(0, frames - 1) * 1e6 / scanHz) : nowMicros;
        SimulatorOptions options = SimulatorOptions.builder()
                .seed(seed)
                .rateHz(scanHz)
                .startMicros(firstMicros - Math.round(startSequence * 1e6 / scanHz))
                .build();
        List<String> ids = new ArrayList<>(sensors);
        for (int s = 0; s < sensors; s++) ids.add(sensorId(s));
        return new SimulatedFeed(new StreetSceneSimulator(options), List.copyOf(ids), startSequence, frames);
    }

    /** {@code lidar-<index>}: the simulator places sensor i 25 m along the street from sensor i - 1. */
    public static String sensorId(int index) {
        return "lidar-" + index;
    }

    public List<String> sensorIds() {
        return sensorIds;
    }

    @Override
    public int ticks() {
        return frames;
    }

    @Override
    public long frames() {
        return (long) frames * sensorIds.size();
    }

    @Override
    public List<ScanFrame> tick(int k) {
        List<ScanFrame> out = new ArrayList<>(sensorIds.size());
        for (String id : sensorIds) out.add(simulator.frame(id, startSequence + k));
        return out;
    }

    @Override
    public String describe() {
        return "simulated street scene, " + sensorIds.size() + " sensor" + (sensorIds.size() == 1 ? "" : "s") + " ("
                + String.join(", ", sensorIds) + ") x " + frames + " frames from sequence " + startSequence
                + ", scanning at " + simulator.options().rateHz() + " Hz, seed " + simulator.options().seed();
    }
}
