package io.minkstream.jobs.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SceneRayCasterTest {

    @Test
    void hitsTheNearFaceOfABoxTheGroundBelowAndNothingSideways() {
        // 3 beams at -10, 0, +10 degrees, 8 azimuths 45 degrees apart; origin 1 m above the ground.
        ScanPattern pattern = new ScanPattern(3, 8, -10, 10);
        SceneRayCaster caster = new SceneRayCaster(pattern);
        float[] boxes = {10, -1, 0, 12, 1, 3};
        byte[] materials = {SurfaceMaterial.BUILDING.code()};
        float[] range = new float[pattern.rays()];
        byte[] material = new byte[pattern.rays()];
        byte[] axis = new byte[pattern.rays()];

        caster.cast(boxes, materials, 1, 0, 0, 1, 80, range, material, axis);

        int ahead = 1; // azimuth 0, beam 1 (elevation 0)
        assertThat(range[ahead]).isCloseTo(10f, within(1e-4f));
        assertThat(material[ahead]).isEqualTo(SurfaceMaterial.BUILDING.code());
        assertThat(axis[ahead]).isEqualTo(SceneRayCaster.AXIS_X);
        int aheadUp = 2; // elevation +10 degrees: reaches x = 10 at height 1 + 10 tan(10) = 2.76 < 3
        assertThat(range[aheadUp]).isCloseTo((float) (10 / Math.cos(Math.toRadians(10))), within(1e-3f));
        int aheadDown = 0; // elevation -10 degrees: ground at 1 / sin(10) = 5.76 m, before the box
        assertThat(range[aheadDown]).isCloseTo((float) (1 / Math.sin(Math.toRadians(10))), within(1e-4f));
        assertThat(material[aheadDown]).isEqualTo(SurfaceMaterial.GROUND.code());
        int left = 2 * 3 + 1; // azimuth 90 degrees, elevation 0: nothing there
        assertThat(range[left]).isNaN();
        assertThat(material[left]).isEqualTo(SurfaceMaterial.NONE.code());
    }

    @Test
    void dropsHitsBeyondTheMaximumRange() {
        ScanPattern pattern = new ScanPattern(1, 8, 0, 0);
        SceneRayCaster caster = new SceneRayCaster(pattern);
        float[] boxes = {30, -1, 0, 32, 1, 3};
        float[] range = new float[8];

        caster.cast(boxes, new byte[] {SurfaceMaterial.POLE.code()}, 1, 0, 0, 1, 20, range, new byte[8],
                new byte[8]);

        assertThat(range).containsOnly(Float.NaN);
    }

    /**
     * The culling (sectors, sorted early exit) must never change a result: every ray of a real street
     * frame is cast again against every box without culling, in double precision.
     */
    @Test
    void culledCastEqualsBruteForceOverEveryBox() {
        StreetSceneSimulator simulator = new StreetSceneSimulator(SimulatorOptions.defaults());
        for (String sensor : new String[] {"lidar-0", "lidar-1"}) {
            for (long sequence : new long[] {0, 37, 400}) {
                double seconds = sequence / simulator.options().rateHz();
                StreetScene scene = simulator.scene();
                float[] boxes = new float[6 * scene.boxCount()];
                byte[] materials = new byte[scene.boxCount()];
                int count = scene.snapshot(seconds, boxes, materials);
                float[] o = simulator.sensorOrigin(sensor, seconds);
                ScanPattern pattern = simulator.pattern();
                float[] range = new float[pattern.rays()];
                byte[] material = new byte[pattern.rays()];
                simulator.caster().cast(boxes, materials, count, o[0], o[1], o[2], 80, range, material,
                        new byte[pattern.rays()]);

                int hits = 0;
                for (int ray = 0; ray < pattern.rays(); ray++) {
                    double[] expected = bruteForce(pattern, ray, boxes, materials, count, o, 80);
                    if (Double.isNaN(expected[0])) {
                        assertThat(range[ray]).as("ray %d of %s#%d", ray, sensor, sequence).isNaN();
                    } else {
                        hits++;
                        assertThat((double) range[ray]).as("ray %d of %s#%d", ray, sensor, sequence)
                                .isCloseTo(expected[0], within(1e-3));
                        assertThat(material[ray]).as("material of ray %d of %s#%d", ray, sensor, sequence)
                                .isEqualTo((byte) expected[1]);
                    }
                }
                assertThat(hits).isGreaterThan(pattern.rays() / 2);
            }
        }
    }

    /** Nearest hit {range, material code} of one ray over the ground and all boxes, or {NaN, 0}. */
    private static double[] bruteForce(ScanPattern pattern, int ray, float[] boxes, byte[] materials, int count,
            float[] origin, double maxRange) {
        double dx = pattern.dirX[ray];
        double dy = pattern.dirY[ray];
        double dz = pattern.dirZ[ray];
        double best = Double.NaN;
        double bestMaterial = 0;
        if (dz < 0) {
            double t = -origin[2] / dz;
            if (t <= maxRange) {
                best = t;
                bestMaterial = SurfaceMaterial.GROUND.code();
            }
        }
        double[] o = {origin[0], origin[1], origin[2]};
        double[] d = {dx, dy, dz};
        for (int b = 0; b < count; b++) {
            double tNear = Double.NEGATIVE_INFINITY;
            double tFar = Double.POSITIVE_INFINITY;
            for (int a = 0; a < 3; a++) {
                double t0 = (boxes[6 * b + a] - o[a]) / d[a];
                double t1 = (boxes[6 * b + 3 + a] - o[a]) / d[a];
                tNear = Math.max(tNear, Math.min(t0, t1));
                tFar = Math.min(tFar, Math.max(t0, t1));
            }
            if (tNear <= tFar && tNear > 0 && tNear < maxRange && (Double.isNaN(best) || tNear < best)) {
                best = tNear;
                bestMaterial = materials[b];
            }
        }
        return new double[] {best, bestMaterial};
    }
}
