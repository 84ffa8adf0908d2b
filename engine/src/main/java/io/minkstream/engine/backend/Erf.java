package io.minkstream.engine.backend;

/** The error function, to float precision (Abramowitz-Stegun 7.1.26 is too coarse for GELU tests). */
final class Erf {
    private Erf() {
    }

    /** erf(x) via its Taylor series near 0 and the continued fraction of erfc further out. */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {
            double term = ax;
            double sum = ax;
            double x2 = ax * ax;
            for (int n = 1; n < 60; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            r = 2.0 / Math.sqrt(Math.PI) * sum;
        } else {
            // Lentz evaluation of erfc's continued fraction.
            double f = ax;
            double c = ax;
            double d = 0;
            for (int n = 1; n < 200; n++) {
                double a = n / 2.0;
                d = ax + a * d;
                d = 1.0 / d;
                c = ax + a / c;
                double delta = c * d;
                f *= delta;
                if (Math.abs(delta - 1.0) < 1e-16) break;
            }
            r = 1.0 - Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
        }
        return x < 0 ? -r : r;
    }
}
