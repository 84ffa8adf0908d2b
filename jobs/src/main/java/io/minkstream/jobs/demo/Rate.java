package io.minkstream.jobs.demo;

/**
 * How fast a feed publishes: {@code hz} frames per second per sensor, or {@link #MAX} (as fast as the
 * producer goes; the job then takes them as fast as it can).
 */
public record Rate(double hz) {
    public static final Rate MAX = new Rate(Double.POSITIVE_INFINITY);

    public Rate {
        if (!(hz > 0)) throw new IllegalArgumentException("rate must be positive, got " + hz);
    }

    /** {@code max}, or a positive number of Hz such as {@code 10} or {@code 2.5}. */
    public static Rate parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.equalsIgnoreCase("max")) return MAX;
        try {
            double hz = Double.parseDouble(t);
            if (hz > 0 && Double.isFinite(hz)) return new Rate(hz);
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected a positive number of Hz or max, got \"" + text + "\"");
    }

    public boolean isMax() {
        return Double.isInfinite(hz);
    }

    /** Nanoseconds after the start at which tick {@code k} is due (0 for every tick at {@link #MAX}). */
    public long dueNanos(long k) {
        return isMax() ? 0 : Math.round(k * 1e9 / hz);
    }

    @Override
    public String toString() {
        return isMax() ? "max" : (hz == Math.rint(hz) ? Long.toString((long) hz) : Double.toString(hz)) + " Hz";
    }
}
