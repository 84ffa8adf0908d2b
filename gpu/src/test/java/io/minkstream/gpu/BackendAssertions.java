package io.minkstream.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minkstream.engine.coords.KernelMap;
import org.opentest4j.AssertionFailedError;

/** Comparisons of GPU results with the engine's CPU results. */
final class BackendAssertions {
    private BackendAssertions() {
    }

    /** Features agree when {@code |gpu - cpu| <= 1e-4 + 1e-4 |cpu|} everywhere. */
    static void assertClose(String what, float[] expected, float[] actual, int channels) {
        assertEquals(expected.length, actual.length, what + ": number of values");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (!(Math.abs(a - e) <= 1e-4 + 1e-4 * Math.abs(e))) {
                throw new AssertionFailedError(what + ": row " + i / channels + " channel " + i % channels + ": expected " + e + " (CPU) but was "
                        + a + " (|error| " + Math.abs(a - e) + ")");
            }
        }
    }

    /** The same pairs in the same order (CSR by output row, ascending kernel index within a row). */
    static void assertSameKernelMap(String what, KernelMap expected, KernelMap actual) {
        assertEquals(expected.kernelVolume(), actual.kernelVolume(), what + ": kernel volume");
        assertEquals(expected.inSize(), actual.inSize(), what + ": input rows");
        assertEquals(expected.outSize(), actual.outSize(), what + ": output rows");
        assertEquals(expected.pairCount(), actual.pairCount(), what + ": pairs");
        assertArrayEquals(expected.outStart(), actual.outStart(), what + ": row starts");
        assertArrayEquals(expected.kernelIndex(), actual.kernelIndex(), what + ": kernel indices");
        assertArrayEquals(expected.inRow(), actual.inRow(), what + ": input rows of pairs");
    }
}
