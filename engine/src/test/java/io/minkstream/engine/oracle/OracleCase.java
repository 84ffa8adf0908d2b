package io.minkstream.engine.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minkstream.engine.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** One MinkowskiEngine fixture folder: its case.json and .npy files (format: the folder's README). */
public final class OracleCase {
    private final Path dir;
    private final JsonNode json;

    private OracleCase(Path dir, JsonNode json) {
        this.dir = dir;
        this.json = json;
    }

    public static OracleCase load(Path dir) {
        try {
            return new OracleCase(dir, new ObjectMapper().readTree(dir.resolve("case.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture folder named by {@code oracle.dir}, else {@code <shared.dir>/oracle/minkowski}. */
    public static Path defaultDirectory() {
        String explicit = System.getProperty("oracle.dir");
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        return Path.of(System.getProperty("shared.dir", "../shared")).resolve("oracle/minkowski");
    }

    public String name() {
        return dir.getFileName().toString();
    }

    public Path dir() {
        return dir;
    }

    public JsonNode json() {
        return json;
    }

    public String op() {
        return json.path("op").asText("");
    }

    public int dimension() {
        return json.path("dimension").asInt();
    }

    public boolean has(String file) {
        return Files.exists(dir.resolve(file));
    }

    public Npy.Array array(String file) {
        try {
            return Npy.read(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public float[] floats(String file) {
        return array(file).floats();
    }

    public int[] ints(String file) {
        return array(file).ints();
    }

    /** A per-axis parameter given as a list or one int (meaning every axis), else the default. */
    public static int[] axes(JsonNode node, String field, int d, int fallback) {
        JsonNode v = node.get(field);
        int[] out = new int[d];
        if (v == null || v.isNull()) {
            Arrays.fill(out, fallback);
        } else if (v.isInt()) {
            Arrays.fill(out, v.asInt());
        } else {
            if (v.size() != d) throw new IllegalArgumentException(field + " has " + v.size() + " axes, expected " + d);
            for (int a = 0; a < d; a++) out[a] = v.get(a).asInt();
        }
        return out;
    }

    @Override
    public String toString() {
        return name();
    }
}
