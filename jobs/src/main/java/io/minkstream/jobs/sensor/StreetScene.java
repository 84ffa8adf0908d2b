package io.minkstream.jobs.sensor;

import java.util.Random;

/**
 * The simulated street, in the street frame: x along the street, y to the left, z up, the ground is the
 * plane z = 0. Every object is an axis-aligned box stored in flat float arrays (minX, minY, minZ, maxX,
 * maxY, maxZ per box), which is all the ray caster needs and keeps its inner loop free of objects.
 *
 * <p>Cross-section (y, metres): driving lanes centred at -4.5 (traffic towards +x), -1.5 (the ego lane,
 * no other traffic), +1.5 and +4.5 (traffic towards -x); parking lanes at |y| = 7.2; sidewalks from
 * |y| = 8.5 to 12 with street-light poles and pedestrians; building fronts from |y| = 12 (plus a random
 * set-back) outwards. Moving objects drive or walk along x and wrap around with period
 * {@code 2 * HALF_LENGTH}; sensors stay within {@code SENSOR_X_SPAN / 2} of the centre and see at most
 * {@link #MAX_RANGE} metres, so nobody ever sees an object wrap.
 *
 * <p>The layout depends on the seed only, drawn with {@link Random} (whose algorithm is specified), so
 * the same seed gives the same street on every JVM.
 */
final class StreetScene {

    static final float HALF_LENGTH = 130f;
    static final float SENSOR_X_SPAN = 80f;
    static final double MAX_RANGE = HALF_LENGTH - SENSOR_X_SPAN / 2 - 5;
    static final int MAX_CARS_PER_LANE = 20;

    static final float EGO_LANE_Y = -1.5f;
    static final float[] TRAFFIC_LANE_Y = {-4.5f, 1.5f, 4.5f};
    static final float[] TRAFFIC_LANE_DIRECTION = {1f, -1f, -1f};
    static final float PARKING_Y = 7.2f;
    static final float SIDEWALK_INNER_Y = 8.5f;
    static final float BUILDING_FRONT_Y = 12f;

    private static final float CAR_WIDTH = 1.8f;
    private static final float PERIOD = 2 * HALF_LENGTH;

    private final float[] staticBoxes;
    private final byte[] staticMaterials;
    private final int staticCount;

    /** Moving boxes at t = 0; a car is two boxes (body, cabin) that share one anchor so they wrap together. */
    private final float[] movingBoxes;
    private final byte[] movingMaterials;
    private final float[] movingAnchorX;
    private final float[] movingVelocityX;
    private final int movingCount;
    private final int movingCars;
    private final int pedestrians;

    StreetScene(long seed, int carsPerLane, int pedestriansPerSidewalk) {
        Random random = new Random(seed);
        BoxList statics = new BoxList();
        addBuildings(random, statics, 1);
        addBuildings(random, statics, -1);
        addParkedCars(random, statics, 1);
        addParkedCars(random, statics, -1);
        addPoles(random, statics, 1);
        addPoles(random, statics, -1);
        staticBoxes = statics.boxes();
        staticMaterials = statics.materials();
        staticCount = statics.size();

        BoxList moving = new BoxList();
        addTraffic(random, moving, carsPerLane);
        addPedestrians(random, moving, pedestriansPerSidewalk);
        movingBoxes = moving.boxes();
        movingMaterials = moving.materials();
        movingAnchorX = moving.anchors();
        movingVelocityX = moving.velocities();
        movingCount = moving.size();
        movingCars = carsPerLane * TRAFFIC_LANE_Y.length;
        pedestrians = 2 * pedestriansPerSidewalk;
    }

    /** Upper bound of {@link #snapshot}'s box count, to size its output arrays. */
    int boxCount() {
        return staticCount + movingCount;
    }

    int movingCarCount() {
        return movingCars;
    }

    int pedestrianCount() {
        return pedestrians;
    }

    /**
     * Writes every box as it stands at time {@code seconds} into {@code boxes} (6 floats each) and its
     * material code into {@code materials}; returns the number of boxes. Static boxes come first.
     */
    int snapshot(double seconds, float[] boxes, byte[] materials) {
        System.arraycopy(staticBoxes, 0, boxes, 0, staticCount * 6);
        System.arraycopy(staticMaterials, 0, materials, 0, staticCount);
        for (int i = 0; i < movingCount; i++) {
            float anchor = movingAnchorX[i];
            // double: after hours of simulated time v * t is large and float would lose the centimetres.
            float shift = (float) (wrapX(anchor + movingVelocityX[i] * seconds) - anchor);
            int src = 6 * i;
            int dst = 6 * (staticCount + i);
            boxes[dst] = movingBoxes[src] + shift;
            boxes[dst + 1] = movingBoxes[src + 1];
            boxes[dst + 2] = movingBoxes[src + 2];
            boxes[dst + 3] = movingBoxes[src + 3] + shift;
            boxes[dst + 4] = movingBoxes[src + 4];
            boxes[dst + 5] = movingBoxes[src + 5];
            materials[staticCount + i] = movingMaterials[i];
        }
        return staticCount + movingCount;
    }

    /** Material of the ground at street position (x, y): lane markings, road or sidewalk. */
    static SurfaceMaterial groundMaterial(float x, float y) {
        float ay = Math.abs(y);
        if (ay >= SIDEWALK_INNER_Y) {
            return SurfaceMaterial.SIDEWALK;
        }
        // Solid centre line at y = 0, dashed lane dividers at |y| = 3 (3 m painted, 6 m gap).
        if (ay < 0.1f) {
            return SurfaceMaterial.LANE_MARKING;
        }
        if (Math.abs(ay - 3f) < 0.075f && Math.floorMod((int) Math.floor(x), 9) < 3) {
            return SurfaceMaterial.LANE_MARKING;
        }
        return SurfaceMaterial.ROAD;
    }

    /** x wrapped into [-HALF_LENGTH, HALF_LENGTH). */
    static double wrapX(double x) {
        double shifted = (x + HALF_LENGTH) % PERIOD;
        if (shifted < 0) {
            shifted += PERIOD;
        }
        return shifted - HALF_LENGTH;
    }

    private static void addBuildings(Random random, BoxList out, int side) {
        float x = -HALF_LENGTH - 10 - random.nextFloat() * 10;
        while (x < HALF_LENGTH + 10) {
            float length = 10 + random.nextFloat() * 18;
            float front = BUILDING_FRONT_Y + random.nextFloat() * 2.5f;
            float depth = 8 + random.nextFloat() * 8;
            float height = 5 + random.nextFloat() * 17;
            out.add(x, x + length, side * front, side * (front + depth), 0, height, SurfaceMaterial.BUILDING);
            // A quarter of the gaps are alleys wide enough to see through.
            float gap = random.nextFloat() < 0.25f ? 3 + random.nextFloat() * 4 : random.nextFloat() * 0.5f;
            x += length + gap;
        }
    }

    private static void addParkedCars(Random random, BoxList out, int side) {
        float x = -HALF_LENGTH - 5 + random.nextFloat() * 5;
        while (x < HALF_LENGTH + 5) {
            float length = 4.0f + random.nextFloat() * 0.8f;
            if (random.nextFloat() < 0.75f) {
                addCar(random, out, x + length / 2, side * PARKING_Y, length, SurfaceMaterial.PARKED_CAR, 0);
            }
            x += length + 1 + random.nextFloat() * 5;
        }
    }

    private static void addPoles(Random random, BoxList out, int side) {
        float x = -HALF_LENGTH + random.nextFloat() * 25;
        while (x < HALF_LENGTH) {
            float y = side * (SIDEWALK_INNER_Y + 0.3f);
            out.add(x - 0.1f, x + 0.1f, y - 0.1f, y + 0.1f, 0, 6.5f, SurfaceMaterial.POLE);
            x += 20 + random.nextFloat() * 10;
        }
    }

    /**
     * Evenly spaced cars per lane with a small jitter, one speed per lane (8 to 12 m/s) so they never
     * collide. The largest gap is 1.3 times the spacing: with 5 cars a lane it is 68 m, below the 78 m of
     * lane that lies within 40 m of a sensor, so each lane has a car that close at any time.
     */
    private static void addTraffic(Random random, BoxList out, int carsPerLane) {
        if (carsPerLane == 0) {
            return;
        }
        float spacing = PERIOD / carsPerLane;
        for (int lane = 0; lane < TRAFFIC_LANE_Y.length; lane++) {
            float speed = (8 + random.nextFloat() * 4) * TRAFFIC_LANE_DIRECTION[lane];
            float phase = random.nextFloat() * spacing;
            for (int i = 0; i < carsPerLane; i++) {
                float centre = -HALF_LENGTH + phase + i * spacing + (random.nextFloat() - 0.5f) * 0.3f * spacing;
                float length = 4.0f + random.nextFloat() * 0.8f;
                addCar(random, out, (float) wrapX(centre), TRAFFIC_LANE_Y[lane], length, SurfaceMaterial.MOVING_CAR,
                        speed);
            }
        }
    }

    /**
     * On each sidewalk two groups walk in opposite directions at 1.2 to 1.5 m/s, one speed per group so
     * the spacing holds (a group of 6 is 43 m apart plus jitter: one of each group is always within
     * 40 m of a sensor).
     */
    private static void addPedestrians(Random random, BoxList out, int perSidewalk) {
        for (int side = -1; side <= 1; side += 2) {
            for (int direction = -1; direction <= 1; direction += 2) {
                int group = direction < 0 ? perSidewalk / 2 : perSidewalk - perSidewalk / 2;
                if (group == 0) {
                    continue;
                }
                float speed = direction * (1.2f + random.nextFloat() * 0.3f);
                float spacing = PERIOD / group;
                float phase = random.nextFloat() * spacing;
                for (int i = 0; i < group; i++) {
                    float x = (float) wrapX(-HALF_LENGTH + phase + i * spacing + (random.nextFloat() - 0.5f) * 8);
                    float y = side * (9.3f + random.nextFloat() * 2.2f);
                    float height = 1.55f + random.nextFloat() * 0.35f;
                    out.addMoving(x - 0.25f, x + 0.25f, y - 0.22f, y + 0.22f, 0, height,
                            SurfaceMaterial.PEDESTRIAN, x, speed);
                }
            }
        }
    }

    /** A car is a body box (0.3 m above the ground, so rays see under it) and a shorter cabin on top. */
    private static void addCar(Random random, BoxList out, float cx, float cy, float length, SurfaceMaterial material,
            float velocityX) {
        boolean van = random.nextFloat() < 0.2f;
        float halfLength = length / 2;
        float halfWidth = CAR_WIDTH / 2;
        out.addMoving(cx - halfLength, cx + halfLength, cy - halfWidth, cy + halfWidth, 0.3f, 1.0f, material, cx,
                velocityX);
        float cabinHalf = van ? halfLength - 0.1f : halfLength * 0.55f;
        float cabinCentre = van ? cx : cx - halfLength * 0.1f * Math.signum(velocityX == 0 ? 1 : velocityX);
        float roof = van ? 2.3f : 1.5f;
        out.addMoving(cabinCentre - cabinHalf, cabinCentre + cabinHalf, cy - halfWidth + 0.1f, cy + halfWidth - 0.1f,
                1.0f, roof, material, cx, velocityX);
    }

    /** Growable flat arrays of boxes, used only while the scene is built. */
    private static final class BoxList {
        private float[] boxes = new float[6 * 64];
        private byte[] materials = new byte[64];
        private float[] anchors = new float[64];
        private float[] velocities = new float[64];
        private int size;

        void add(float x0, float x1, float y0, float y1, float z0, float z1, SurfaceMaterial material) {
            addMoving(x0, x1, y0, y1, z0, z1, material, (x0 + x1) / 2, 0);
        }

        void addMoving(float x0, float x1, float y0, float y1, float z0, float z1, SurfaceMaterial material,
                float anchorX, float velocityX) {
            if (size == materials.length) {
                int capacity = size * 2;
                boxes = java.util.Arrays.copyOf(boxes, 6 * capacity);
                materials = java.util.Arrays.copyOf(materials, capacity);
                anchors = java.util.Arrays.copyOf(anchors, capacity);
                velocities = java.util.Arrays.copyOf(velocities, capacity);
            }
            int o = 6 * size;
            boxes[o] = Math.min(x0, x1);
            boxes[o + 1] = Math.min(y0, y1);
            boxes[o + 2] = Math.min(z0, z1);
            boxes[o + 3] = Math.max(x0, x1);
            boxes[o + 4] = Math.max(y0, y1);
            boxes[o + 5] = Math.max(z0, z1);
            materials[size] = material.code();
            anchors[size] = anchorX;
            velocities[size] = velocityX;
            size++;
        }

        int size() {
            return size;
        }

        float[] boxes() {
            return java.util.Arrays.copyOf(boxes, 6 * size);
        }

        byte[] materials() {
            return java.util.Arrays.copyOf(materials, size);
        }

        float[] anchors() {
            return java.util.Arrays.copyOf(anchors, size);
        }

        float[] velocities() {
            return java.util.Arrays.copyOf(velocities, size);
        }
    }
}
