package io.minkstream.jobs.demo;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The demo's progress on stderr: a bar redrawn in place when a person is watching (stdout is a
 * terminal), else a plain line at every tenth of the way, so logs of CI runs stay short.
 */
final class ProgressDisplay {
    private static final int BAR_WIDTH = 30;

    private final PrintStream err;
    private final boolean terminal;
    private final long expected;
    private final long startNanos = System.nanoTime();
    private int lastDecile = -1;
    private boolean drewBar;

    ProgressDisplay(PrintStream err, boolean terminal, long expected) {
        this.err = err;
        this.terminal = terminal;
        this.expected = Math.max(1, expected);
    }

    /** Whether a person is watching: {@code System.console()} exists only when stdin and stdout are terminals. */
    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    void update(long published, long out, long rejected) {
        long done = out + rejected;
        double fraction = Math.min(1.0, done / (double) expected);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (terminal) {
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            err.printf(Locale.ROOT, "\r[%s%s] %d/%d frames out, %d rejected, %d published, %.0f s ",
                    "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), out, expected - rejected, rejected, published, seconds);
            err.flush();
            drewBar = true;
            return;
        }
        int decile = (int) Math.floor(fraction * 10);
        if (decile > lastDecile) {
            lastDecile = decile;
            err.printf(Locale.ROOT, "demo: %3d%%  %d frames out, %d rejected, %d published, %.1f s%n",
                    decile * 10, out, rejected, published, seconds);
            err.flush();
        }
    }

    /** Ends the bar's line so what follows starts on a fresh one. */
    void finish() {
        if (drewBar) {
            err.println();
            err.flush();
        }
    }
}
