package io.minkstream.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Optional;

/** One case of the MinkowskiEngine golden fixtures ({@code shared/oracle/minkowski/<case>}). */
record OracleCase(String name, Path dir, JsonNode json) {

    /** The fixture root from the {@code shared.dir} system property, if it is there. */
    static Optional<Path> root() {
        String shared = System.getProperty("shared.dir");
        if (shared == null) return Optional.empty();
        Path root = Paths.get(shared, "oracle", "minkowski");
        return Files.isDirectory(root) ? Optional.of(root) : Optional.empty();
    }

    static OracleCase load(Path root, String name) {
        Path dir = root.resolve(name);
        try {
            return new OracleCase(name, dir, new ObjectMapper().readTree(dir.resolve("case.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("case.json"), e);
        }
    }

    boolean has(String file) {
        return Files.exists(dir.resolve(file));
    }

    int[] ints(String file) {
        try {
            return Npy.read(dir.resolve(file)).ints();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    float[] floats(String file) {
        try {
            return Npy.read(dir.resolve(file)).floats();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int dimension() {
        return json.get("dimension").asInt();
    }

    int integer(String field) {
        return json.get(field).asInt();
    }

    String text(String field) {
        return json.get(field).asText();
    }

    /** A per-axis field of {@code node}: an array, or one int meaning every axis. */
    int[] axes(JsonNode node, String field) {
        JsonNode v = node.get(field);
        int[] a = new int[dimension()];
        if (v == null) {
            Arrays.fill(a, 1);
        } else if (v.isArray()) {
            for (int i = 0; i < a.length; i++) a[i] = v.get(i).asInt();
        } else {
            Arrays.fill(a, v.asInt());
        }
        return a;
    }

    int[] axes(String field) {
        return axes(json, field);
    }

    /**
     * The case's kernel region: hyper-cube or hyper-cross from its sizes, else (hybrid) the stored
     * {@code kernel_offsets.npy} as a custom region in units of the anchoring tensor stride.
     */
    KernelRegion region(JsonNode layer, int[] anchorStride) {
        String type = layer.path("region_type").asText("HYPER_CUBE");
        if (type.equals("HYPER_CUBE")) return KernelRegion.hyperCube(axes(layer, "kernel_size"), axes(layer, "dilation"));
        if (type.equals("HYPER_CROSS")) return KernelRegion.hyperCross(axes(layer, "kernel_size"), axes(layer, "dilation"));
        int d = dimension();
        int[] flat = ints("kernel_offsets.npy");
        int[][] steps = new int[flat.length / d][d];
        for (int k = 0; k < steps.length; k++) {
            for (int a = 0; a < d; a++) steps[k][a] = flat[k * d + a] / anchorStride[a];
        }
        return KernelRegion.custom(steps);
    }
}
