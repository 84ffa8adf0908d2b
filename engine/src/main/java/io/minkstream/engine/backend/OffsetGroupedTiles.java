package io.minkstream.engine.backend;

import io.minkstream.engine.coords.KernelMap;

/**
 * A kernel map's pairs regrouped for the tiled convolution: output rows in tiles of
 * {@link #TILE_ROWS} (tile a is rows {@code [a * TILE_ROWS, (a + 1) * TILE_ROWS)}), and within a
 * tile the pairs grouped by kernel offset, ascending output row within an offset. Derived from the
 * map once and reused by every convolution on it (a network applies each cached map many times);
 * it costs two ints per pair, as much again as the map's own pair arrays.
 */
final class OffsetGroupedTiles {
    static final int TILE_ROWS = 512;

    private final int kernelVolume;
    /** Per tile, {@code kernelVolume + 1} positions into the pair arrays. */
    final int[] offsetStart;
    final int[] inRow;
    final int[] outRow;

    private OffsetGroupedTiles(int kernelVolume, int[] offsetStart, int[] inRow, int[] outRow) {
        this.kernelVolume = kernelVolume;
        this.offsetStart = offsetStart;
        this.inRow = inRow;
        this.outRow = outRow;
    }

    static OffsetGroupedTiles of(KernelMap map) {
        int k = map.kernelVolume();
        int n = map.outSize();
        int tiles = (n + TILE_ROWS - 1) / TILE_ROWS;
        int[] offsetStart = new int[tiles * (k + 1)];
        int[] in = new int[map.pairCount()];
        int[] out = new int[map.pairCount()];
        int[] scratch = new int[k + 1];
        for (int a = 0; a < tiles; a++) {
            int t0 = a * TILE_ROWS;
            int t1 = Math.min(n, t0 + TILE_ROWS);
            group(map, t0, t1, map.outStart()[t0], scratch, in, out);
            System.arraycopy(scratch, 0, offsetStart, a * (k + 1), k + 1);
        }
        return new OffsetGroupedTiles(k, offsetStart, in, out);
    }

    /**
     * Counting sort of the pairs of output rows {@code [t0, t1)} by kernel offset, written to
     * {@code in} and {@code out} from position {@code base}; {@code offsetStart} receives the
     * absolute start of each offset's pairs ({@code kernelVolume + 1} entries).
     */
    static void group(KernelMap map, int t0, int t1, int base, int[] offsetStart, int[] in, int[] out) {
        int[] start = map.outStart();
        int[] ks = map.kernelIndex();
        int[] rows = map.inRow();
        java.util.Arrays.fill(offsetStart, 0);
        for (int p = start[t0], e = start[t1]; p < e; p++) offsetStart[ks[p] + 1]++;
        offsetStart[0] = base;
        for (int k = 1; k < offsetStart.length; k++) offsetStart[k] += offsetStart[k - 1];
        for (int o = t0; o < t1; o++) {
            for (int p = start[o], e = start[o + 1]; p < e; p++) {
                int j = offsetStart[ks[p]]++;
                in[j] = rows[p];
                out[j] = o;
            }
        }
        // The scatter advanced each offset's start to the next one's; shift back.
        for (int k = offsetStart.length - 1; k > 0; k--) offsetStart[k] = offsetStart[k - 1];
        offsetStart[0] = base;
    }

    int kernelVolume() {
        return kernelVolume;
    }
}
