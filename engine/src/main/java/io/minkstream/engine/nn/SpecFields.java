package io.minkstream.engine.nn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed access to one JSON object of a network spec; every error starts with the object's context
 * (e.g. {@code layer 'enc2'}) and names the field and the value found.
 */
final class SpecFields {
    private final String context;
    private final JsonNode node;
    private final int dimension;

    SpecFields(String context, JsonNode node, int dimension) {
        this.context = context;
        this.node = node;
        this.dimension = dimension;
    }

    String context() {
        return context;
    }

    JsonNode node() {
        return node;
    }

    int dimension() {
        return dimension;
    }

    IllegalArgumentException fail(String message) {
        return new IllegalArgumentException(context + ": " + message);
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    JsonNode get(String field) {
        return node.get(field);
    }

    void allowOnly(Set<String> allowed, String hint) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw fail("unknown field '" + f + "'" + hint + " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw fail("missing field '" + field + "'");
        if (!v.isTextual() || v.textValue().isEmpty()) throw fail(field + " must be a non-empty string, got " + v);
        return v.textValue();
    }

    String text(String field, String fallback) {
        return has(field) ? text(field) : fallback;
    }

    int integer(String field, int min) {
        if (!has(field)) throw fail("missing field '" + field + "'");
        JsonNode v = node.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw fail(field + " must be an int, got " + v);
        if (v.intValue() < min) throw fail(field + " must be >= " + min + ", got " + v.intValue());
        return v.intValue();
    }

    int integer(String field, int fallback, int min) {
        return has(field) ? integer(field, min) : fallback;
    }

    float number(String field, float fallback) {
        if (!has(field)) return fallback;
        JsonNode v = node.get(field);
        if (!v.isNumber() || !Float.isFinite(v.floatValue())) throw fail(field + " must be a finite number, got " + v);
        return v.floatValue();
    }

    boolean bool(String field, boolean fallback) {
        if (!has(field)) return fallback;
        JsonNode v = node.get(field);
        if (!v.isBoolean()) throw fail(field + " must be true or false, got " + v);
        return v.booleanValue();
    }

    /** A per-axis value: one int for every axis, or an array of {@code dimension} ints, each >= min. */
    int[] axes(String field, int fallback, int min) {
        if (!has(field)) {
            int[] out = new int[dimension];
            Arrays.fill(out, fallback);
            return out;
        }
        return axes(field, node.get(field), min);
    }

    int[] requiredAxes(String field, int min) {
        if (!has(field)) throw fail("missing field '" + field + "'");
        return axes(field, node.get(field), min);
    }

    /** As {@link #axes(String, int, int)} for a value found at {@code path}. */
    int[] axes(String path, JsonNode v, int min) {
        int[] out = new int[dimension];
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            Arrays.fill(out, v.intValue());
        } else if (v.isArray()) {
            if (v.size() != dimension) throw fail(path + " has " + v.size() + " axes, expected " + dimension);
            for (int a = 0; a < dimension; a++) {
                JsonNode x = v.get(a);
                if (!x.isIntegralNumber() || !x.canConvertToInt()) throw fail(path + "[" + a + "] must be an int, got " + x);
                out[a] = x.intValue();
            }
        } else {
            throw fail(path + " must be an int or an array of " + dimension + " ints, got " + v);
        }
        for (int a = 0; a < dimension; a++) {
            if (out[a] < min) throw fail(path + (v.isArray() ? "[" + a + "]" : "") + " must be >= " + min + ", got " + out[a]);
        }
        return out;
    }
}
