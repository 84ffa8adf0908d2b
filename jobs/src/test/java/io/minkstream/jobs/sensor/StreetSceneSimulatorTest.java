package io.minkstream.jobs.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreetSceneSimulatorTest {

    /** Bound of the range noise: 2 * sqrt(3) standard deviations, plus float rounding. */
    private static final float SURFACE_TOLERANCE = 0.02f * 3.47f + 2e-3f;
    private static final float[] IDENTITY = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

    private final StreetSceneSimulator simulator = new StreetSceneSimulator(SimulatorOptions.defaults());

    @Test
    void sameSeedGivesIdenticalFramesAndFramesAreRestartable() {
        StreetSceneSimulator other = new StreetSceneSimulator(SimulatorOptions.defaults());
        ScanFrame first = simulator.frame("lidar-0", 5);
        simulator.frame("lidar-1", 6);
        simulator.frame("lidar-0", 900);

        ScanFrame again = other.frame("lidar-0", 5);

        assertThat(again).isEqualTo(first);
        assertThat(again.positions()).isEqualTo(first.positions());
        assertThat(again.features()).isEqualTo(first.features());
        assertThat(again.labels()).isEqualTo(first.labels());
        assertThat(simulator.frame("lidar-0", 5)).isEqualTo(first);
    }

    @Test
    void nextCountsSequencesPerSensor() {
        assertThat(simulator.next("lidar-0")).isEqualTo(simulator.frame("lidar-0", 0));
        assertThat(simulator.next("lidar-1")).isEqualTo(simulator.frame("lidar-1", 0));
        assertThat(simulator.next("lidar-0")).isEqualTo(simulator.frame("lidar-0", 1));
        assertThat(simulator.next("lidar-0").sequence()).isEqualTo(2);
    }

    @Test
    void seedAndSensorChangeTheStream() {
        ScanFrame base = simulator.frame("lidar-0", 3);
        ScanFrame otherSeed = new StreetSceneSimulator(SimulatorOptions.builder().seed(7).build()).frame("lidar-0", 3);
        ScanFrame otherSensor = simulator.frame("lidar-1", 3);

        assertThat(otherSeed.positions()).isNotEqualTo(base.positions());
        assertThat(otherSensor.positions()).isNotEqualTo(base.positions());
    }

    @Test
    void arraysAreConsistentAndTimestampsFollowTheRate() {
        for (long sequence : new long[] {0, 1, 250}) {
            ScanFrame frame = simulator.frame("lidar-1", sequence);
            int n = frame.pointCount();

            // 32 x 1024 rays; between the buildings almost every ray below the horizon returns.
            assertThat(n).isBetween(20_000, 32 * 1024);
            assertThat(frame.positions()).hasSize(3 * n);
            assertThat(frame.featureChannels()).isEqualTo(1);
            assertThat(frame.features()).hasSize(n);
            assertThat(frame.labels()).hasSize(n);
            assertThat(frame.pose()).containsExactly(IDENTITY);
            assertThat(frame.sequence()).isEqualTo(sequence);
            assertThat(frame.timestampMicros()).isEqualTo(SimulatorOptions.DEFAULT_START_MICROS + sequence * 100_000);
            for (float intensity : frame.features()) {
                assertThat(intensity).isBetween(0f, 1f);
            }
            for (int label : frame.labels()) {
                assertThat(label).isIn(0, 1);
            }
        }
    }

    @Test
    void everyPointLiesOnASurfaceWithinRangeAndMovingPointsAreLabelled() {
        for (String sensor : new String[] {"lidar-0", "lidar-1", "lidar-2"}) {
            for (long sequence : new long[] {0, 123}) {
                assertPointsOnSurfaces(simulator, simulator.frame(sensor, sequence));
            }
        }
    }

    /**
     * With a moving ego, points only land on the scene's surfaces when they are placed through the pose
     * (world = sensor frame of sequence 0), so this checks the pose as much as the points.
     */
    @Test
    void movingEgoPosePlacesPointsOnTheSurfaces() {
        StreetSceneSimulator moving = new StreetSceneSimulator(SimulatorOptions.builder().egoSpeed(2).build());
        ScanFrame first = moving.frame("lidar-0", 0);
        ScanFrame later = moving.frame("lidar-0", 10);

        assertThat(first.pose()).containsExactly(IDENTITY);
        assertThat(later.pose()[3]).isCloseTo(2f, within(1e-4f));
        assertThat(new float[] {later.pose()[7], later.pose()[11]}).containsExactly(0f, 0f);
        assertPointsOnSurfaces(moving, later);
        assertPointsOnSurfaces(moving, moving.frame("lidar-1", 333));
    }

    private static void assertPointsOnSurfaces(StreetSceneSimulator simulator, ScanFrame frame) {
        SurfaceCheck check = checkSurfaces(simulator, frame);
        float height = (float) simulator.options().mountHeight();
        String name = frame.sensorId() + "#" + frame.sequence();

        assertThat(check.offSurface).as("points of %s on no surface", name).isZero();
        assertThat(check.wrongLabel).as("points of %s with a wrong label", name).isZero();
        assertThat(check.ambiguous).as("points of %s near a moving and a static surface", name)
                .isLessThan(frame.pointCount() / 200);
        assertThat(check.ground).as("ground points of %s", name).isGreaterThan(frame.pointCount() / 4);
        assertThat(check.movingPoints).as("moving points of %s", name).isGreaterThan(300);
        assertThat(check.maxRange).isLessThanOrEqualTo(80f);
        assertThat(check.groundZMin).isGreaterThan(-height - SURFACE_TOLERANCE);
        assertThat(check.groundZMax).isLessThan(-height + SURFACE_TOLERANCE);
    }

    @Test
    void movingObjectsMoveBetweenFramesWhileStaticPointsStay() {
        double voxel = 0.25;
        ScanFrame a = simulator.frame("lidar-0", 40);
        ScanFrame b = simulator.frame("lidar-0", 41);

        double staticJaccard = jaccard(voxels(a, 0, voxel), voxels(b, 0, voxel));
        double movingJaccard = jaccard(voxels(a, 1, voxel), voxels(b, 1, voxel));

        // Measured 0.81-0.86 and 0.21-0.32 over three sensors and four sequences: the static voxels that
        // change are range noise crossing voxel borders and occlusion by the moving objects.
        assertThat(staticJaccard).isGreaterThan(0.75);
        assertThat(movingJaccard).isLessThan(0.45);

        // Every moving box advances 8-12 m/s (cars) or 1.2-1.5 m/s (pedestrians) times 0.1 s.
        StreetScene scene = simulator.scene();
        float[] before = new float[6 * scene.boxCount()];
        float[] after = new float[6 * scene.boxCount()];
        byte[] materials = new byte[scene.boxCount()];
        int count = scene.snapshot(4.0, before, materials);
        scene.snapshot(4.1, after, materials);
        int cars = 0;
        int pedestrians = 0;
        for (int i = 0; i < count; i++) {
            double step = Math.abs(after[6 * i] - before[6 * i]);
            SurfaceMaterial material = SurfaceMaterial.ofCode(materials[i]);
            if (Math.abs(before[6 * i]) > 120) {
                continue; // may have wrapped around the street's end
            }
            if (material == SurfaceMaterial.MOVING_CAR) {
                assertThat(step).isBetween(0.8 - 1e-4, 1.2 + 1e-4);
                cars++;
            } else if (material == SurfaceMaterial.PEDESTRIAN) {
                assertThat(step).isBetween(0.12 - 1e-4, 0.15 + 1e-4);
                pedestrians++;
            } else {
                assertThat(step).isZero();
            }
        }
        assertThat(cars).isGreaterThan(10);
        assertThat(pedestrians).isGreaterThan(10);
    }

    @Test
    void everySensorHasThreeMovingCarsAndSeveralPedestriansWithin40Metres() {
        StreetScene scene = simulator.scene();
        float[] boxes = new float[6 * scene.boxCount()];
        byte[] materials = new byte[scene.boxCount()];
        int fewestCars = Integer.MAX_VALUE;
        int fewestPedestrians = Integer.MAX_VALUE;
        for (int step = 0; step < 2_400; step++) {
            double seconds = step * 0.25;
            int count = scene.snapshot(seconds, boxes, materials);
            for (String sensor : new String[] {"lidar-0", "lidar-1", "lidar-2", "lidar-3"}) {
                float[] o = simulator.sensorOrigin(sensor, seconds);
                int cars = 0;
                int pedestrians = 0;
                for (int i = 0; i < count; i++) {
                    SurfaceMaterial material = SurfaceMaterial.ofCode(materials[i]);
                    double cx = (boxes[6 * i] + boxes[6 * i + 3]) / 2 - o[0];
                    double cy = (boxes[6 * i + 1] + boxes[6 * i + 4]) / 2 - o[1];
                    boolean near = Math.hypot(cx, cy) <= 40;
                    // A car is two boxes; count its body (the one starting 0.3 m above the ground).
                    if (near && material == SurfaceMaterial.MOVING_CAR && boxes[6 * i + 2] < 0.5f) {
                        cars++;
                    } else if (near && material == SurfaceMaterial.PEDESTRIAN) {
                        pedestrians++;
                    }
                }
                fewestCars = Math.min(fewestCars, cars);
                fewestPedestrians = Math.min(fewestPedestrians, pedestrians);
            }
        }
        assertThat(fewestCars).isGreaterThanOrEqualTo(3);
        assertThat(fewestPedestrians).isGreaterThanOrEqualTo(4);
    }

    /** Range noise must not push a return past the maximum range; 20 m puts many walls at that range. */
    @Test
    void noPointLiesBeyondTheMaximumRangeEvenWithNoise() {
        StreetSceneSimulator near = new StreetSceneSimulator(SimulatorOptions.builder().maxRange(20).build());
        int atTheLimit = 0;
        for (long sequence = 0; sequence < 5; sequence++) {
            ScanFrame frame = near.frame("lidar-0", sequence);
            float[] p = frame.positions();
            for (int i = 0; i < frame.pointCount(); i++) {
                double range = Math.sqrt(p[3 * i] * p[3 * i] + p[3 * i + 1] * p[3 * i + 1] + p[3 * i + 2] * p[3 * i + 2]);
                assertThat(range).as("range of point %d of frame %d", i, sequence).isLessThanOrEqualTo(20.0 + 1e-4);
                if (range > 19.95) {
                    atTheLimit++;
                }
            }
        }
        assertThat(atTheLimit).as("points within 5 cm of the limit").isGreaterThan(20);
    }

    @Test
    void mountIndexIsTheTrailingNumber() {
        assertThat(StreetSceneSimulator.mountIndex("lidar-0")).isZero();
        assertThat(StreetSceneSimulator.mountIndex("lidar-12")).isEqualTo(12);
        assertThat(StreetSceneSimulator.mountIndex("roof")).isZero();
    }

    @Test
    void rejectsBadOptionsNamingTheOption() {
        assertThatThrownBy(() -> SimulatorOptions.builder().beams(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beams").hasMessageContaining("was 0");
        assertThatThrownBy(() -> SimulatorOptions.builder().maxRange(200).build())
                .hasMessageContaining("maxRange").hasMessageContaining("200");
        assertThatThrownBy(() -> SimulatorOptions.builder().elevationDeg(10, -10).build())
                .hasMessageContaining("maxElevationDeg");
        assertThatThrownBy(() -> simulator.frame("lidar-0", -1)).hasMessageContaining("lidar-0#-1");
    }

    private static final class SurfaceCheck {
        int offSurface;
        int wrongLabel;
        int ambiguous;
        int ground;
        int movingPoints;
        float maxRange;
        float groundZMin = Float.POSITIVE_INFINITY;
        float groundZMax = Float.NEGATIVE_INFINITY;
    }

    /**
     * Classifies each point by the nearest surface of the scene at the frame's time: the ground plane or
     * a box face. The point must lie within the noise bound of it, and its label must say whether that
     * surface moves (points near two surfaces of different motion are counted as ambiguous instead).
     */
    private static SurfaceCheck checkSurfaces(StreetSceneSimulator simulator, ScanFrame frame) {
        double seconds = frame.sequence() / simulator.options().rateHz();
        StreetScene scene = simulator.scene();
        float[] boxes = new float[6 * scene.boxCount()];
        byte[] materials = new byte[scene.boxCount()];
        int count = scene.snapshot(seconds, boxes, materials);
        // The world frame is the sensor frame of sequence 0: street = pose * p + origin at sequence 0.
        float[] o = simulator.sensorOrigin(frame.sensorId(), 0);
        float[] m = frame.pose();
        float[] p = frame.positions();
        SurfaceCheck check = new SurfaceCheck();
        for (int i = 0; i < frame.pointCount(); i++) {
            float px = p[3 * i];
            float py = p[3 * i + 1];
            float pz = p[3 * i + 2];
            check.maxRange = Math.max(check.maxRange, (float) Math.sqrt(px * px + py * py + pz * pz));
            float x = m[0] * px + m[1] * py + m[2] * pz + m[3] + o[0];
            float y = m[4] * px + m[5] * py + m[6] * pz + m[7] + o[1];
            float z = m[8] * px + m[9] * py + m[10] * pz + m[11] + o[2];
            boolean nearStatic = Math.abs(z) <= SURFACE_TOLERANCE;
            boolean nearMoving = false;
            double nearest = Math.abs(z);
            boolean nearestMoving = false;
            for (int b = 0; b < count; b++) {
                double d = surfaceDistance(boxes, b, x, y, z);
                boolean moves = SurfaceMaterial.ofCode(materials[b]).moving;
                if (d <= SURFACE_TOLERANCE) {
                    nearMoving |= moves;
                    nearStatic |= !moves;
                }
                if (d < nearest) {
                    nearest = d;
                    nearestMoving = moves;
                }
            }
            if (nearest > SURFACE_TOLERANCE) {
                check.offSurface++;
            } else if (nearStatic && nearMoving) {
                check.ambiguous++;
            } else if ((frame.labels()[i] == 1) != nearestMoving) {
                check.wrongLabel++;
            }
            if (nearestMoving) {
                check.movingPoints++;
            }
            if (nearest == Math.abs(z) && !nearMoving) {
                check.ground++;
                check.groundZMin = Math.min(check.groundZMin, pz);
                check.groundZMax = Math.max(check.groundZMax, pz);
            }
        }
        return check;
    }

    /** Distance from (x, y, z) to the surface of box b, inside or outside. */
    private static double surfaceDistance(float[] boxes, int b, float x, float y, float z) {
        int o = 6 * b;
        double dx = Math.max(boxes[o] - x, x - boxes[o + 3]);
        double dy = Math.max(boxes[o + 1] - y, y - boxes[o + 4]);
        double dz = Math.max(boxes[o + 2] - z, z - boxes[o + 5]);
        if (dx <= 0 && dy <= 0 && dz <= 0) {
            return -Math.max(dx, Math.max(dy, dz));
        }
        double ox = Math.max(dx, 0);
        double oy = Math.max(dy, 0);
        double oz = Math.max(dz, 0);
        return Math.sqrt(ox * ox + oy * oy + oz * oz);
    }

    /** Voxels (sensor frame) occupied by points with the given label. */
    private static Set<Long> voxels(ScanFrame frame, int label, double voxel) {
        Set<Long> set = new HashSet<>();
        float[] p = frame.positions();
        for (int i = 0; i < frame.pointCount(); i++) {
            if (frame.labels()[i] == label) {
                set.add(key(p[3 * i], p[3 * i + 1], p[3 * i + 2], voxel));
            }
        }
        return set;
    }

    private static long key(double x, double y, double z, double voxel) {
        long i = (long) Math.floor(x / voxel) & 0x1FFFFF;
        long j = (long) Math.floor(y / voxel) & 0x1FFFFF;
        long k = (long) Math.floor(z / voxel) & 0x1FFFFF;
        return i << 42 | j << 21 | k;
    }

    private static double jaccard(Set<Long> a, Set<Long> b) {
        long common = a.stream().filter(b::contains).count();
        return (double) common / (a.size() + b.size() - common);
    }
}
