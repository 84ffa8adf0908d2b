package io.minkstream.jobs.sensor;

/**
 * What a simulated ray hit: decides the return's intensity (through the reflectivity) and its motion
 * label. The ray caster passes materials around as their ordinal in a {@code byte}, so the hot loop
 * indexes plain arrays instead of touching enum objects.
 */
enum SurfaceMaterial {
    /** No return (the ray left the scene or passed the maximum range). */
    NONE(0f, false),
    /** The ground plane z = 0 before it is told apart by position into the three kinds below. */
    GROUND(0.12f, false),
    ROAD(0.12f, false),
    SIDEWALK(0.30f, false),
    LANE_MARKING(0.85f, false),
    BUILDING(0.40f, false),
    PARKED_CAR(0.55f, false),
    POLE(0.50f, false),
    MOVING_CAR(0.55f, true),
    PEDESTRIAN(0.35f, true);

    private static final SurfaceMaterial[] BY_CODE = values();

    /** Fraction of the laser returned at normal incidence, in [0, 1]. */
    final float reflectivity;
    /** Whether surfaces of this material belong to moving objects (ground-truth label 1). */
    final boolean moving;

    SurfaceMaterial(float reflectivity, boolean moving) {
        this.reflectivity = reflectivity;
        this.moving = moving;
    }

    byte code() {
        return (byte) ordinal();
    }

    static SurfaceMaterial ofCode(byte code) {
        return BY_CODE[code];
    }
}
