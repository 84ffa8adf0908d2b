package io.minkstream.jobs.demo;

import io.minkstream.jobs.sensor.ScanFrame;
import io.minkstream.operators.voxel.VoxelizerOptions;
import java.util.List;

/**
 * A feed that notes where its sensor went (the poses' translations) while its frames go by, so the
 * job's crop box can follow a moving sensor: the job crops in world coordinates, and a fixed box
 * around the origin would drop everything a car records once it has driven 80 m.
 */
final class TrajectoryBox implements FrameFeed {
    private final FrameFeed feed;
    private final double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    private final double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};

    TrajectoryBox(FrameFeed feed) {
        this.feed = feed;
    }

    @Override
    public int ticks() {
        return feed.ticks();
    }

    @Override
    public long frames() {
        return feed.frames();
    }

    @Override
    public List<ScanFrame> tick(int k) {
        List<ScanFrame> frames = feed.tick(k);
        for (ScanFrame f : frames) {
            float[] p = f.pose();
            for (int a = 0; a < 3; a++) {
                double t = p == null ? 0 : p[4 * a + 3];
                min[a] = Math.min(min[a], t);
                max[a] = Math.max(max[a], t);
            }
        }
        return frames;
    }

    @Override
    public String describe() {
        return feed.describe();
    }

    /** {@code around}'s crop box (relative to a sensor at the origin) moved along every position seen. */
    VoxelizerOptions cropAlong(VoxelizerOptions around) {
        if (min[0] > max[0]) return around;
        float[] lo = new float[3];
        float[] hi = new float[3];
        for (int a = 0; a < 3; a++) {
            lo[a] = (float) Math.floor(min[a] + around.cropMin()[a]);
            hi[a] = (float) Math.ceil(max[a] + around.cropMax()[a]);
        }
        return new VoxelizerOptions(around.voxelSize(), lo, hi, around.applyPose());
    }
}
