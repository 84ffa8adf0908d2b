package io.minkstream.jobs.sensor;

/**
 * Row-major 4x4 homogeneous transforms in double precision, the form {@link ScanFrame#pose()} takes in
 * float once composed. Only what the readers need: lift a 3x4 matrix, multiply, invert a rigid
 * transform, build one from a translation and a quaternion.
 */
final class PoseMath {

    private PoseMath() {
    }

    /** The 4x4 matrix whose top three rows are the 12 row-major numbers {@code rows} and bottom row 0 0 0 1. */
    static double[] fromRows3x4(double[] rows) {
        double[] m = new double[16];
        System.arraycopy(rows, 0, m, 0, 12);
        m[15] = 1;
        return m;
    }

    /** a * b. */
    static double[] multiply(double[] a, double[] b) {
        double[] c = new double[16];
        for (int r = 0; r < 4; r++) {
            for (int k = 0; k < 4; k++) {
                double s = 0;
                for (int j = 0; j < 4; j++) {
                    s += a[4 * r + j] * b[4 * j + k];
                }
                c[4 * r + k] = s;
            }
        }
        return c;
    }

    /** Inverse of a rigid transform [R t; 0 1]: [R^T, -R^T t; 0 1]. */
    static double[] invertRigid(double[] m) {
        double[] inv = new double[16];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                inv[4 * r + c] = m[4 * c + r];
            }
        }
        for (int r = 0; r < 3; r++) {
            inv[4 * r + 3] = -(inv[4 * r] * m[3] + inv[4 * r + 1] * m[7] + inv[4 * r + 2] * m[11]);
        }
        inv[15] = 1;
        return inv;
    }

    /** Translation (tx, ty, tz) after the rotation of the quaternion (qw, qx, qy, qz), normalised first. */
    static double[] fromTranslationQuaternion(double tx, double ty, double tz, double qw, double qx, double qy,
            double qz) {
        double n = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
        double w = qw / n;
        double x = qx / n;
        double y = qy / n;
        double z = qz / n;
        return new double[] {
            1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w), tx,
            2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w), ty,
            2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y), tz,
            0, 0, 0, 1};
    }

    static float[] toFloat(double[] m) {
        float[] f = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            f[i] = (float) m[i];
        }
        return f;
    }
}
