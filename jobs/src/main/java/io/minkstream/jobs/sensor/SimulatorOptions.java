package io.minkstream.jobs.sensor;

/**
 * Everything that configures a {@link StreetSceneSimulator}, with defaults: build with {@link #builder()},
 * read with the accessors. Values are checked in {@link Builder#build()}, and an error names the option
 * and the value.
 */
public final class SimulatorOptions {

    /** 2025-01-01T00:00:00Z: a fixed, past default start, so frames are reproducible and never "future". */
    public static final long DEFAULT_START_MICROS = 1_735_689_600_000_000L;

    private final long seed;
    private final int beams;
    private final int azimuthSteps;
    private final double rateHz;
    private final double minElevationDeg;
    private final double maxElevationDeg;
    private final double maxRange;
    private final double mountHeight;
    private final double egoSpeed;
    private final double rangeNoise;
    private final long startMicros;
    private final int movingCarsPerLane;
    private final int pedestriansPerSidewalk;

    private SimulatorOptions(Builder b) {
        this.seed = b.seed;
        this.beams = b.beams;
        this.azimuthSteps = b.azimuthSteps;
        this.rateHz = b.rateHz;
        this.minElevationDeg = b.minElevationDeg;
        this.maxElevationDeg = b.maxElevationDeg;
        this.maxRange = b.maxRange;
        this.mountHeight = b.mountHeight;
        this.egoSpeed = b.egoSpeed;
        this.rangeNoise = b.rangeNoise;
        this.startMicros = b.startMicros;
        this.movingCarsPerLane = b.movingCarsPerLane;
        this.pedestriansPerSidewalk = b.pedestriansPerSidewalk;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static SimulatorOptions defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.beams = beams;
        b.azimuthSteps = azimuthSteps;
        b.rateHz = rateHz;
        b.minElevationDeg = minElevationDeg;
        b.maxElevationDeg = maxElevationDeg;
        b.maxRange = maxRange;
        b.mountHeight = mountHeight;
        b.egoSpeed = egoSpeed;
        b.rangeNoise = rangeNoise;
        b.startMicros = startMicros;
        b.movingCarsPerLane = movingCarsPerLane;
        b.pedestriansPerSidewalk = pedestriansPerSidewalk;
        return b;
    }

    /** Seed of the scene layout (buildings, cars, pedestrians) and of the range noise. Default 42. */
    public long seed() {
        return seed;
    }

    /** Number of laser beams (rows of the ring scan). Default 32. */
    public int beams() {
        return beams;
    }

    /** Firings per revolution (columns of the ring scan). Default 1024. */
    public int azimuthSteps() {
        return azimuthSteps;
    }

    /** Revolutions per second; frame k is captured at start + k / rateHz. Default 10. */
    public double rateHz() {
        return rateHz;
    }

    /** Elevation of the lowest beam, degrees. Default -25. */
    public double minElevationDeg() {
        return minElevationDeg;
    }

    /** Elevation of the highest beam, degrees; beams are spaced evenly in between. Default +15. */
    public double maxElevationDeg() {
        return maxElevationDeg;
    }

    /** Returns farther than this (metres) are dropped. Default 80. */
    public double maxRange() {
        return maxRange;
    }

    /** Height of the sensor's optical centre above the ground, metres. Default 1.73 (KITTI's Velodyne). */
    public double mountHeight() {
        return mountHeight;
    }

    /** Speed of the ego vehicle along the street, m/s; 0 = parked sensor with identity pose. Default 0. */
    public double egoSpeed() {
        return egoSpeed;
    }

    /** Standard deviation of the range noise, metres (bounded, at most 3.5 times this). Default 0.02. */
    public double rangeNoise() {
        return rangeNoise;
    }

    /** Capture time of frame 0, microseconds since the Unix epoch. Default 2025-01-01T00:00:00Z. */
    public long startMicros() {
        return startMicros;
    }

    /** Moving cars in each of the three driving lanes. Default 5. */
    public int movingCarsPerLane() {
        return movingCarsPerLane;
    }

    /** Walking pedestrians on each of the two sidewalks. Default 12. */
    public int pedestriansPerSidewalk() {
        return pedestriansPerSidewalk;
    }

    @Override
    public String toString() {
        return "SimulatorOptions[seed=" + seed + ", beams=" + beams + ", azimuthSteps=" + azimuthSteps
                + ", rateHz=" + rateHz + ", elevationDeg=" + minElevationDeg + ".." + maxElevationDeg
                + ", maxRange=" + maxRange + ", mountHeight=" + mountHeight + ", egoSpeed=" + egoSpeed
                + ", rangeNoise=" + rangeNoise + ", startMicros=" + startMicros
                + ", movingCarsPerLane=" + movingCarsPerLane + ", pedestriansPerSidewalk=" + pedestriansPerSidewalk
                + "]";
    }

    /** Mutable builder; every setter has the default documented on the matching accessor. */
    public static final class Builder {
        private long seed = 42;
        private int beams = 32;
        private int azimuthSteps = 1024;
        private double rateHz = 10;
        private double minElevationDeg = -25;
        private double maxElevationDeg = 15;
        private double maxRange = 80;
        private double mountHeight = 1.73;
        private double egoSpeed = 0;
        private double rangeNoise = 0.02;
        private long startMicros = DEFAULT_START_MICROS;
        private int movingCarsPerLane = 5;
        private int pedestriansPerSidewalk = 12;

        private Builder() {
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder beams(int value) {
            beams = value;
            return this;
        }

        public Builder azimuthSteps(int value) {
            azimuthSteps = value;
            return this;
        }

        public Builder rateHz(double value) {
            rateHz = value;
            return this;
        }

        public Builder elevationDeg(double min, double max) {
            minElevationDeg = min;
            maxElevationDeg = max;
            return this;
        }

        public Builder maxRange(double value) {
            maxRange = value;
            return this;
        }

        public Builder mountHeight(double value) {
            mountHeight = value;
            return this;
        }

        public Builder egoSpeed(double value) {
            egoSpeed = value;
            return this;
        }

        public Builder rangeNoise(double value) {
            rangeNoise = value;
            return this;
        }

        public Builder startMicros(long value) {
            startMicros = value;
            return this;
        }

        public Builder movingCarsPerLane(int value) {
            movingCarsPerLane = value;
            return this;
        }

        public Builder pedestriansPerSidewalk(int value) {
            pedestriansPerSidewalk = value;
            return this;
        }

        public SimulatorOptions build() {
            requireRange("beams", beams, 1, 512);
            requireRange("azimuthSteps", azimuthSteps, 8, 65_536);
            requireRange("rateHz", rateHz, 0.1, 100);
            requireRange("minElevationDeg", minElevationDeg, -89, 89);
            requireRange("maxElevationDeg", maxElevationDeg, minElevationDeg, 89);
            requireRange("maxRange", maxRange, 1, StreetScene.MAX_RANGE);
            requireRange("mountHeight", mountHeight, 0.3, 10);
            requireRange("egoSpeed", egoSpeed, 0, 15);
            requireRange("rangeNoise", rangeNoise, 0, 0.5);
            requireRange("movingCarsPerLane", movingCarsPerLane, 0, StreetScene.MAX_CARS_PER_LANE);
            requireRange("pedestriansPerSidewalk", pedestriansPerSidewalk, 0, 200);
            return new SimulatorOptions(this);
        }

        private static void requireRange(String name, double value, double min, double max) {
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException(
                        "SimulatorOptions." + name + " must be in [" + min + ", " + max + "], was " + value);
            }
        }
    }
}
