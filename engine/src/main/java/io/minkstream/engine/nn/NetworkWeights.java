package io.minkstream.engine.nn;

import io.minkstream.engine.io.SafeTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Looks up a network's tensors ({@code <layer>.<role>}) in a safetensors file, remembering which
 * were read, so that tensors no layer reads (usually a misspelt layer name) are an error too.
 */
final class NetworkWeights {
    /**
     * Metadata key listing tensors the file may carry without a layer reading them (e.g. PyTorch's
     * {@code *.num_batches_tracked}): comma-separated names, {@code *} matching any characters.
     */
    static final String IGNORE_KEY = "minkstream.ignore";

    private final SafeTensors file;
    private final Set<String> used = new HashSet<>();

    NetworkWeights(SafeTensors file) {
        this.file = file;
    }

    /** A float tensor {@code <layer>.<role>} of exactly {@code shape}; {@code why} explains the shape. */
    float[] floats(LayerSpec layer, String role, String why, int... shape) {
        return floatsOfShapes(layer, role, why, new int[][] {shape});
    }

    /** As {@link #floats} where any of the given shapes is accepted (same element count). */
    float[] floatsOfShapes(LayerSpec layer, String role, String why, int[]... shapes) {
        String name = layer.name() + "." + role;
        String expected = String.join(" or ", Arrays.stream(shapes).map(Arrays::toString).toList());
        if (!file.contains(name)) {
            throw new IllegalArgumentException("layer '" + layer.name() + "': weights " + file.source() + " have no tensor '" + name
                    + "' (expected shape " + expected + why + ")");
        }
        int[] found = file.shape(name);
        int[] match = Arrays.stream(shapes).filter(s -> Arrays.equals(s, found)).findFirst().orElse(shapes[0]);
        try {
            float[] values = file.floats(name, match);
            used.add(name);
            return values;
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            if (shapes.length > 1) msg = msg.replace("expected " + Arrays.toString(shapes[0]), "expected " + expected);
            throw new IllegalArgumentException("layer '" + layer.name() + "': " + msg + why, e);
        }
    }

    /** Fails when the file holds tensors that no layer read and the metadata does not list. */
    void checkAllUsed(Map<String, LayerSpec> layers) {
        List<Pattern> ignored = new ArrayList<>();
        String list = file.metadata().getOrDefault(IGNORE_KEY, "");
        for (String item : list.split(",")) {
            if (!item.isBlank()) ignored.add(glob(item.trim()));
        }
        List<String> unused = new ArrayList<>();
        for (String name : file.names()) {
            if (!used.contains(name) && ignored.stream().noneMatch(p -> p.matcher(name).matches())) unused.add(name);
        }
        if (unused.isEmpty()) return;
        StringBuilder hints = new StringBuilder();
        for (String name : unused) {
            int dot = name.lastIndexOf('.');
            LayerSpec owner = dot < 0 ? null : layers.get(name.substring(0, dot));
            if (owner == null) continue;
            if (name.endsWith(".bias") && !owner.bias()) hints.append("; layer '").append(owner.name()).append("' has bias: false");
            else hints.append("; layer '").append(owner.name()).append("' (").append(owner.type().json()).append(") does not read '")
                    .append(name.substring(dot + 1)).append("'");
        }
        throw new IllegalArgumentException("weights " + file.source() + " have tensors that no layer reads: " + unused + hints
                + " (list deliberate extras in the file's metadata '" + IGNORE_KEY + "', comma-separated, * as wildcard)");
    }

    private static Pattern glob(String g) {
        String[] parts = g.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) re.append(".*");
            if (!parts[i].isEmpty()) re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString());
    }
}
