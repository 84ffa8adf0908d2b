package io.minkstream.jobs.sensor;

/**
 * The fixed ray directions of a rotating LiDAR: {@code beams} elevations spaced evenly from the lowest to
 * the highest, times {@code azimuthSteps} azimuths 2 pi j / azimuthSteps counter-clockwise from +x.
 * Ray index = azimuth * beams + beam, the order in which a spinning sensor fires (one column of all beams
 * per azimuth step).
 *
 * <p>Directions and their reciprocals are computed once with {@link StrictMath}, so the pattern is bit
 * for bit the same on every JVM, and the ray caster never divides.
 */
final class ScanPattern {

    /** Smallest magnitude of a direction component, so a reciprocal is never infinite (0 * inf = NaN). */
    private static final float MIN_COMPONENT = 1e-12f;

    final int beams;
    final int azimuthSteps;
    final float[] dirX;
    final float[] dirY;
    final float[] dirZ;
    final float[] invX;
    final float[] invY;
    final float[] invZ;
    /** Per beam: sin(elevation), the z component shared by all rays of the beam. */
    final float[] sinElevation;
    /** Per beam: 1 / cos(elevation); a hit at horizontal distance d lies at range d / cos(elevation). */
    final float[] invCosElevation;

    ScanPattern(int beams, int azimuthSteps, double minElevationDeg, double maxElevationDeg) {
        this.beams = beams;
        this.azimuthSteps = azimuthSteps;
        int rays = beams * azimuthSteps;
        dirX = new float[rays];
        dirY = new float[rays];
        dirZ = new float[rays];
        invX = new float[rays];
        invY = new float[rays];
        invZ = new float[rays];
        sinElevation = new float[beams];
        invCosElevation = new float[beams];
        double[] cosE = new double[beams];
        for (int b = 0; b < beams; b++) {
            double elevation = beams == 1 ? minElevationDeg
                    : minElevationDeg + (maxElevationDeg - minElevationDeg) * b / (beams - 1);
            double radians = StrictMath.toRadians(elevation);
            cosE[b] = StrictMath.cos(radians);
            sinElevation[b] = (float) StrictMath.sin(radians);
            invCosElevation[b] = (float) (1 / cosE[b]);
        }
        for (int j = 0; j < azimuthSteps; j++) {
            double azimuth = 2 * StrictMath.PI * j / azimuthSteps;
            double cosA = StrictMath.cos(azimuth);
            double sinA = StrictMath.sin(azimuth);
            for (int b = 0; b < beams; b++) {
                int ray = j * beams + b;
                dirX[ray] = nonZero((float) (cosE[b] * cosA));
                dirY[ray] = nonZero((float) (cosE[b] * sinA));
                dirZ[ray] = nonZero(sinElevation[b]);
                invX[ray] = 1 / dirX[ray];
                invY[ray] = 1 / dirY[ray];
                invZ[ray] = 1 / dirZ[ray];
            }
        }
    }

    int rays() {
        return beams * azimuthSteps;
    }

    private static float nonZero(float component) {
        if (Math.abs(component) >= MIN_COMPONENT) {
            return component;
        }
        return component < 0 ? -MIN_COMPONENT : MIN_COMPONENT;
    }
}
