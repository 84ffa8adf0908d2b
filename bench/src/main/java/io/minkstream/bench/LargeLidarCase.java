package io.minkstream.bench;

import io.minkstream.engine.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The arrays of oracle case {@code i_large_lidar_k3s1_D4}: 100,000 coordinates in D = 4 (10 LiDAR
 * frames), 64 feature columns (the C = 32 runs use the first 32) and MinkowskiEngine's weights for
 * the 81-offset cube at C = 32 and C = 64.
 */
public final class LargeLidarCase {
    /** Where the case lies in a checkout with {@code ../shared} beside the repository root. */
    public static final String DEFAULT_RELATIVE = "../shared/oracle/minkowski/i_large_lidar_k3s1_D4";
    public static final int DIMENSION = 4;

    private final Path dir;
    private final int rows;
    private final int[] coords;
    private final float[] features64;
    private final float[] kernel32;
    private final float[] kernel64;

    private LargeLidarCase(Path dir, int[] coords, float[] features64, float[] kernel32, float[] kernel64) {
        this.dir = dir;
        this.rows = coords.length / (DIMENSION + 1);
        this.coords = coords;
        this.features64 = features64;
        this.kernel32 = kernel32;
        this.kernel64 = kernel64;
        if (features64.length != rows * 64) {
            throw new IllegalArgumentException(dir + "/in_feats_64.npy has " + features64.length + " values, expected " + rows + " x 64");
        }
    }

    /** Loads the case from {@code dir}; a null or blank dir means {@link #defaultDir()}. */
    public static LargeLidarCase load(String dir) {
        Path d = dir == null || dir.isBlank() ? defaultDir() : Paths.get(dir);
        if (!Files.isRegularFile(d.resolve("in_coords.npy"))) {
            throw new IllegalArgumentException("no in_coords.npy in case directory " + d.toAbsolutePath()
                    + "; pass the folder of oracle case i_large_lidar_k3s1_D4 (--case DIR, or -p caseDir=DIR for JMH)");
        }
        try {
            return new LargeLidarCase(d, Npy.read(d.resolve("in_coords.npy")).ints(), Npy.read(d.resolve("in_feats_64.npy")).floats(),
                    Npy.read(d.resolve("kernel_32.npy")).floats(), Npy.read(d.resolve("kernel_64.npy")).floats());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read oracle case " + d, e);
        }
    }

    /** {@code ../shared/oracle/minkowski/i_large_lidar_k3s1_D4} from the working directory or its parent. */
    public static Path defaultDir() {
        Path here = Paths.get(DEFAULT_RELATIVE);
        if (Files.isDirectory(here)) return here;
        Path up = Paths.get("..").resolve(DEFAULT_RELATIVE);
        return Files.isDirectory(up) ? up : here;
    }

    public Path dir() {
        return dir;
    }

    public int rows() {
        return rows;
    }

    /** {@code rows x (1 + D)} int32, batch index first. */
    public int[] coordinates() {
        return coords;
    }

    /** The first {@code channels} columns of {@code in_feats_64.npy}, row-major. */
    public float[] features(int channels) {
        if (channels == 64) return features64;
        float[] f = new float[rows * channels];
        for (int r = 0; r < rows; r++) System.arraycopy(features64, r * 64, f, r * channels, channels);
        return f;
    }

    /** MinkowskiEngine's {@code kernel[81][C][C]} for C = 32 or 64. */
    public float[] kernel(int channels) {
        return switch (channels) {
            case 32 -> kernel32;
            case 64 -> kernel64;
            default -> throw new IllegalArgumentException("the case has kernels for C = 32 and 64, not " + channels);
        };
    }
}
