package io.minkstream.engine.nn;

import com.fasterxml.jackson.databind.JsonNode;
import io.minkstream.engine.coords.AxisShape;
import io.minkstream.engine.coords.KernelRegion;
import java.util.Set;

/**
 * Parses a layer's {@code kernel} field into a {@link KernelRegion} (offsets in MinkowskiEngine's
 * order, see KernelRegion). Accepted forms, for dimension D:
 * <ul>
 *   <li>{@code 3} or {@code [3, 3, 3, 1]}: a hyper-cube of that size per axis;</li>
 *   <li>{@code {"type": "cube", "size": 3 | [..]}} and {@code {"type": "cross", "size": 3 | [..]}};</li>
 *   <li>{@code {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:3"]}}: one shape per
 *       axis, each {@code cube:N}, {@code cross:N}, {@code causal:N} (steps -(N-1)..0),
 *       {@code window:PAST:AHEAD} (steps -PAST..+AHEAD) or {@code steps:A,B,...};</li>
 *   <li>{@code {"type": "union", "parts": [kernel, ...]}}: each part's offsets in order, repeats dropped;</li>
 *   <li>{@code {"type": "custom", "offsets": [[0, 0, 0, -1], ...]}}: K rows of D unit steps.</li>
 * </ul>
 * The layer's {@code dilation} applies to every form except custom, which requires dilation 1.
 */
final class KernelSpec {
    private KernelSpec() {
    }

    static KernelRegion parse(SpecFields f, String path, JsonNode k, int[] dilation) {
        int d = f.dimension();
        if (k.isNumber() || k.isArray()) return engine(f, path, () -> KernelRegion.hyperCube(f.axes(path, k, 1), dilation));
        if (!k.isObject()) throw f.fail(path + " must be a size, an array of sizes or an object with a type, got " + k);
        JsonNode typeNode = k.get("type");
        if (typeNode == null || !typeNode.isTextual()) throw f.fail(path + ".type must be one of cube, cross, hybrid, union, custom, got " + typeNode);
        String type = typeNode.textValue();
        SpecFields kf = new SpecFields(f.context(), k, d);
        return switch (type) {
            case "cube", "cross" -> {
                kf.allowOnly(Set.of("type", "size"), " in " + path);
                if (!kf.has("size")) throw f.fail(path + ".size is missing");
                int[] size = f.axes(path + ".size", k.get("size"), 1);
                yield engine(f, path, () -> type.equals("cube") ? KernelRegion.hyperCube(size, dilation) : KernelRegion.hyperCross(size, dilation));
            }
            case "hybrid" -> {
                kf.allowOnly(Set.of("type", "axes"), " in " + path);
                JsonNode axes = k.get("axes");
                if (axes == null || !axes.isArray()) throw f.fail(path + ".axes must be an array of " + d + " axis shapes, got " + axes);
                if (axes.size() != d) throw f.fail(path + ".axes has " + axes.size() + " axes, expected " + d);
                AxisShape[] shapes = new AxisShape[d];
                for (int a = 0; a < d; a++) shapes[a] = axisShape(f, path + ".axes[" + a + "]", axes.get(a));
                yield engine(f, path, () -> KernelRegion.hybrid(shapes, dilation));
            }
            case "union" -> {
                kf.allowOnly(Set.of("type", "parts"), " in " + path);
                JsonNode parts = k.get("parts");
                if (parts == null || !parts.isArray() || parts.isEmpty()) throw f.fail(path + ".parts must be a non-empty array of kernels, got " + parts);
                KernelRegion[] regions = new KernelRegion[parts.size()];
                for (int i = 0; i < regions.length; i++) regions[i] = parse(f, path + ".parts[" + i + "]", parts.get(i), dilation);
                yield engine(f, path, () -> KernelRegion.union(regions));
            }
            case "custom" -> {
                kf.allowOnly(Set.of("type", "offsets"), " in " + path);
                for (int x : dilation) {
                    if (x != 1) throw f.fail("dilation must be 1 with a custom kernel (scale its offsets instead), got " + java.util.Arrays.toString(dilation));
                }
                yield engine(f, path, () -> KernelRegion.custom(offsets(f, path + ".offsets", k.get("offsets"))));
            }
            default -> throw f.fail(path + ".type '" + type + "' is not one of cube, cross, hybrid, union, custom");
        };
    }

    private static int[][] offsets(SpecFields f, String path, JsonNode rows) {
        int d = f.dimension();
        if (rows == null || !rows.isArray() || rows.isEmpty()) throw f.fail(path + " must be a non-empty array of " + d + "-int offsets, got " + rows);
        int[][] out = new int[rows.size()][d];
        for (int i = 0; i < out.length; i++) {
            JsonNode row = rows.get(i);
            if (!row.isArray() || row.size() != d) {
                throw f.fail(path + "[" + i + "] has " + (row.isArray() ? row.size() : 0) + " axes, expected " + d + ": " + row);
            }
            for (int a = 0; a < d; a++) {
                JsonNode v = row.get(a);
                if (!v.isIntegralNumber() || !v.canConvertToInt()) throw f.fail(path + "[" + i + "][" + a + "] must be an int, got " + v);
                out[i][a] = v.intValue();
            }
        }
        return out;
    }

    private static AxisShape axisShape(SpecFields f, String path, JsonNode node) {
        String usage = " (use cube:N, cross:N, causal:N, window:PAST:AHEAD or steps:A,B,...)";
        if (node == null || !node.isTextual()) throw f.fail(path + " must be a string" + usage + ", got " + node);
        String s = node.textValue().trim();
        String[] parts = s.split(":", -1);
        try {
            return switch (parts[0]) {
                case "cube" -> AxisShape.cube(single(parts));
                case "cross" -> AxisShape.cross(single(parts));
                case "causal" -> AxisShape.causal(single(parts));
                case "window" -> {
                    if (parts.length != 3) throw new NumberFormatException();
                    yield AxisShape.window(Integer.parseInt(parts[1].trim()), Integer.parseInt(parts[2].trim()));
                }
                case "steps" -> {
                    if (parts.length != 2) throw new NumberFormatException();
                    String[] items = parts[1].split(",");
                    int[] steps = new int[items.length];
                    for (int i = 0; i < items.length; i++) steps[i] = Integer.parseInt(items[i].trim());
                    yield AxisShape.steps(steps);
                }
                default -> throw f.fail(path + " '" + s + "' is not an axis shape" + usage);
            };
        } catch (NumberFormatException e) {
            throw f.fail(path + " '" + s + "' is not an axis shape" + usage);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(f.context())) throw e;
            throw f.fail(path + " '" + s + "': " + e.getMessage());
        }
    }

    private static int single(String[] parts) {
        if (parts.length != 2) throw new NumberFormatException();
        return Integer.parseInt(parts[1].trim());
    }

    /** Runs an engine constructor, putting the layer and field in front of its message. */
    private static KernelRegion engine(SpecFields f, String path, java.util.function.Supplier<KernelRegion> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(f.context())) throw e;
            throw f.fail(path + ": " + e.getMessage());
        }
    }
}
