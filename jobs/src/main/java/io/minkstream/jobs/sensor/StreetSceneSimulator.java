package io.minkstream.jobs.sensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A simulated rotating LiDAR on an ego vehicle in a street scene (see {@link StreetScene} for the
 * layout): buildings on both sides, parked cars, street-light poles, cars driving at 8 to 12 m/s in
 * three lanes and pedestrians walking at 1.2 to 1.5 m/s on the sidewalks, all wrapping around the
 * street.
 *
 * <p>Each frame ray-casts the scene as it stands at the frame's capture time: rays that hit nothing
 * within the maximum range give no point. Points are in the sensor frame (x forward along the street,
 * y left, z up, origin at the optical centre, so the ground lies at z = -mountHeight). The world frame
 * is the sensor frame of sequence 0, as in KITTI: a parked sensor's pose is the identity; a moving ego's
 * pose is a translation along x. The feature is one intensity channel in [0, 1] (reflectivity of the
 * surface times a Lambertian incidence term). Labels are 1 on moving cars and pedestrians, else 0.
 *
 * <p>{@link #frame} is a pure function of (options, sensor id, sequence): the same arguments give equal
 * frames on any JVM, so a producer can restart from any sequence. The number at the end of the sensor
 * id picks the mount position along the street ("lidar-0", "lidar-1", ...); the whole id seeds the
 * range noise, so two sensors give different streams of the same street.
 *
 * <p>Thread-safe: {@link #frame} shares no mutable state; {@link #next} keeps one counter per sensor.
 */
public final class StreetSceneSimulator {

    private final SimulatorOptions options;
    private final StreetScene scene;
    private final ScanPattern pattern;
    private final SceneRayCaster caster;
    private final float[] reflectivity;
    private final Map<String, Long> nextSequence = new HashMap<>();

    public StreetSceneSimulator(SimulatorOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.scene = new StreetScene(options.seed(), options.movingCarsPerLane(), options.pedestriansPerSidewalk());
        this.pattern = new ScanPattern(options.beams(), options.azimuthSteps(), options.minElevationDeg(),
                options.maxElevationDeg());
        this.caster = new SceneRayCaster(pattern);
        SurfaceMaterial[] materials = SurfaceMaterial.values();
        this.reflectivity = new float[materials.length];
        for (SurfaceMaterial m : materials) {
            reflectivity[m.ordinal()] = m.reflectivity;
        }
    }

    public SimulatorOptions options() {
        return options;
    }

    /** The next frame of {@code sensorId}: sequence 0 on the first call, then 1, 2, ... */
    public ScanFrame next(String sensorId) {
        long sequence;
        synchronized (nextSequence) {
            sequence = nextSequence.merge(sensorId, 1L, Long::sum) - 1;
        }
        return frame(sensorId, sequence);
    }

    /** Capture time of frame {@code sequence}: start + sequence * 1e6 / rateHz microseconds. */
    public long timestampMicros(long sequence) {
        return options.startMicros() + Math.round(sequence * 1e6 / options.rateHz());
    }

    /** Frame {@code sequence} of {@code sensorId}, a pure function of its arguments and the options. */
    public ScanFrame frame(String sensorId, long sequence) {
        Objects.requireNonNull(sensorId, "sensorId");
        if (sequence < 0) {
            throw new IllegalArgumentException("frame " + sensorId + "#" + sequence + ": sequence must be >= 0");
        }
        double seconds = sequence / options.rateHz();
        float[] origin = sensorOrigin(sensorId, seconds);
        float[] boxes = new float[6 * scene.boxCount()];
        byte[] materials = new byte[scene.boxCount()];
        int boxCount = scene.snapshot(seconds, boxes, materials);

        int rays = pattern.rays();
        float[] range = new float[rays];
        byte[] hitMaterial = new byte[rays];
        byte[] hitAxis = new byte[rays];
        caster.cast(boxes, materials, boxCount, origin[0], origin[1], origin[2], (float) options.maxRange(), range,
                hitMaterial, hitAxis);

        float[] positions = new float[3 * rays];
        float[] intensity = new float[rays];
        int[] labels = new int[rays];
        int points = toPoints(sensorId, sequence, origin, range, hitMaterial, hitAxis, positions, intensity, labels);
        float[] start = sensorOrigin(sensorId, 0);
        float[] pose = {
            1, 0, 0, origin[0] - start[0],
            0, 1, 0, origin[1] - start[1],
            0, 0, 1, origin[2] - start[2],
            0, 0, 0, 1};
        return new ScanFrame(sensorId, sequence, timestampMicros(sequence), Arrays.copyOf(positions, 3 * points),
                Arrays.copyOf(intensity, points), 1, pose, Arrays.copyOf(labels, points));
    }

    /**
     * Turns ray hits into points: adds the range noise, drops returns the noise pushed past the maximum
     * range, computes intensity and label. Returns the number of points written.
     */
    private int toPoints(String sensorId, long sequence, float[] origin, float[] range, byte[] hitMaterial,
            byte[] hitAxis, float[] positions, float[] intensity, int[] labels) {
        long noiseSeed = mix(options.seed() * 0x9E3779B97F4A7C15L + sensorId.hashCode()) ^ mix(sequence);
        float noiseScale = (float) (options.rangeNoise() * Math.sqrt(3));
        float maxRange = (float) options.maxRange();
        byte ground = SurfaceMaterial.GROUND.code();
        int points = 0;
        for (int ray = 0; ray < range.length; ray++) {
            float r = range[ray];
            if (Float.isNaN(r)) {
                continue;
            }
            r += noiseScale * boundedGaussian(mix(noiseSeed + ray));
            if (r > maxRange || r <= 0) {
                continue;
            }
            float dx = pattern.dirX[ray];
            float dy = pattern.dirY[ray];
            float dz = pattern.dirZ[ray];
            byte material = hitMaterial[ray];
            if (material == ground) {
                material = StreetScene.groundMaterial(origin[0] + dx * r, origin[1] + dy * r).code();
            }
            byte axis = hitAxis[ray];
            float cos = Math.abs(axis == SceneRayCaster.AXIS_X ? dx : axis == SceneRayCaster.AXIS_Y ? dy : dz);
            positions[3 * points] = dx * r;
            positions[3 * points + 1] = dy * r;
            positions[3 * points + 2] = dz * r;
            intensity[points] = reflectivity[material] * (0.2f + 0.8f * cos);
            labels[points] = SurfaceMaterial.ofCode(material).moving ? 1 : 0;
            points++;
        }
        return points;
    }

    /**
     * Street-frame position of the sensor's optical centre at {@code seconds}. The mount index is the
     * number that ends the id (0 when there is none); mounts are 25 m apart in the ego lane, and a moving
     * ego wraps within the central {@code SENSOR_X_SPAN} metres of the street.
     */
    float[] sensorOrigin(String sensorId, double seconds) {
        int mount = mountIndex(sensorId);
        double x = -12.5 + 25.0 * mount + options.egoSpeed() * seconds;
        double half = StreetScene.SENSOR_X_SPAN / 2;
        double wrapped = ((x + half) % StreetScene.SENSOR_X_SPAN + StreetScene.SENSOR_X_SPAN)
                % StreetScene.SENSOR_X_SPAN - half;
        return new float[] {(float) wrapped, StreetScene.EGO_LANE_Y, (float) options.mountHeight()};
    }

    StreetScene scene() {
        return scene;
    }

    ScanPattern pattern() {
        return pattern;
    }

    SceneRayCaster caster() {
        return caster;
    }

    static int mountIndex(String sensorId) {
        int end = sensorId.length();
        int begin = end;
        while (begin > 0 && begin > end - 6 && Character.isDigit(sensorId.charAt(begin - 1))) {
            begin--;
        }
        return begin == end ? 0 : Integer.parseInt(sensorId.substring(begin, end));
    }

    /** Sum of four uniforms from the hash's 16-bit quarters, minus 2: mean 0, variance 1/3, |x| <= 2. */
    private static float boundedGaussian(long hash) {
        float sum = 0;
        for (int k = 0; k < 4; k++) {
            sum += ((hash >>> (16 * k)) & 0xFFFF) / 65535f;
        }
        return sum - 2f;
    }

    /** SplitMix64 finaliser: a stateless hash, so noise depends only on (seed, sensor, sequence, ray). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
