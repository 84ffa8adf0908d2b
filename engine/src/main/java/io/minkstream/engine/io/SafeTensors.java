package io.minkstream.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors file (the format PyTorch users export weights in), read whole and validated.
 *
 * <p>Layout: an 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON
 * {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value", ...}}}, then the byte buffer, little-endian, with offsets
 * relative to its start. As the reference implementation demands, the tensors must tile the buffer
 * exactly (no overlaps, holes or trailing bytes), so a file has one reading.
 *
 * <p>Dtypes: {@code F32}, {@code F16} and {@code BF16} read as floats ({@link #floats}), {@code I32}
 * and {@code I64} as ints ({@link #ints}; I64 values must fit in an int). Any other dtype is refused
 * when the file is read. Every structural problem is an {@link IOException} naming the file and,
 * where there is one, the tensor; asking for a missing tensor, a wrong shape or a wrong dtype is an
 * {@link IllegalArgumentException} naming both.
 */
public final class SafeTensors {
    /** The key of the optional string-to-string metadata map in the header. */
    public static final String METADATA_KEY = "__metadata__";
    /** The reference implementation refuses headers above 100 MB; so do we, before allocating. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The dtypes this reader accepts, with their item size in bytes. */
    public enum DType {
        F32(4), F16(2), BF16(2), I32(4), I64(8);

        private final int itemSize;

        DType(int itemSize) {
            this.itemSize = itemSize;
        }

        public int itemSize() {
            return itemSize;
        }

        boolean isFloat() {
            return this == F32 || this == F16 || this == BF16;
        }
    }

    /** One tensor's header entry; offsets are relative to the byte buffer. */
    public record Entry(String name, DType dtype, int[] shape, long begin, long end) {
        public long elementCount() {
            long n = 1;
            for (int s : shape) n = Math.multiplyExact(n, s);
            return n;
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;
    private final ByteBuffer data;

    private SafeTensors(String source, Map<String, Entry> entries, Map<String, String> metadata, ByteBuffer data) {
        this.source = source;
        this.entries = Collections.unmodifiableMap(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
        this.data = data;
    }

    /** Reads and validates a whole file. */
    public static SafeTensors read(Path file) throws IOException {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long headerLength = headerLength(readFully(ch, 0, (int) Math.min(8, size), source), size, source);
            byte[] header = readFully(ch, 8, (int) headerLength, source);
            long dataLength = size - 8 - headerLength;
            if (dataLength > Integer.MAX_VALUE - 8) throw new IOException(source + ": byte buffer of " + dataLength + " bytes exceeds 2 GiB");
            ByteBuffer buffer = ByteBuffer.wrap(readFully(ch, 8 + headerLength, (int) dataLength, source));
            return parse(header, buffer, source);
        }
    }

    /** Reads a whole stream (e.g. a classpath resource); {@code source} names it in errors. */
    public static SafeTensors read(InputStream in, String source) throws IOException {
        return parse(in.readAllBytes(), source);
    }

    /** Parses a file held in memory; {@code source} names it in errors. */
    public static SafeTensors parse(byte[] file, String source) throws IOException {
        long headerLength = headerLength(Arrays.copyOf(file, Math.min(8, file.length)), file.length, source);
        byte[] header = Arrays.copyOfRange(file, 8, 8 + (int) headerLength);
        int dataStart = 8 + (int) headerLength;
        return parse(header, ByteBuffer.wrap(file, dataStart, file.length - dataStart).slice(), source);
    }

    private static long headerLength(byte[] first8, long fileSize, String source) throws IOException {
        if (first8.length < 8) throw new IOException(source + ": file has " + fileSize + " bytes, too short for the 8-byte header length");
        long n = ByteBuffer.wrap(first8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > fileSize - 8) {
            throw new IOException(source + ": header length " + Long.toUnsignedString(n) + " exceeds the file (" + fileSize + " bytes, "
                    + (fileSize - 8) + " after the length field)");
        }
        if (n > MAX_HEADER_BYTES) throw new IOException(source + ": header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        if (n < 2) throw new IOException(source + ": header length " + n + " is too short for a JSON object");
        return n;
    }

    private static byte[] readFully(FileChannel ch, long position, int length, String source) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) throw new IOException(source + ": file ended early at byte " + (position + b.position()));
        }
        return b.array();
    }

    private static SafeTensors parse(byte[] header, ByteBuffer data, String source) throws IOException {
        ObjectNode root = parseHeader(header, source);
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = metadata(field.getValue(), source);
            } else {
                entries.put(field.getKey(), entry(field.getKey(), field.getValue(), source));
            }
        }
        checkTiling(entries, data.remaining(), source);
        return new SafeTensors(source, entries, metadata, data.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** The header object; duplicate keys (at any depth) are errors, not last-one-wins. */
    private static ObjectNode parseHeader(byte[] header, String source) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(source + ": header is not valid UTF-8", e);
        }
        JsonFactory factory = JSON.getFactory();
        try (JsonParser p = factory.createParser(text)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException(source + ": header is not a JSON object");
            JsonNode tree = JSON.readTree(p);
            if (p.nextToken() != null) throw new IOException(source + ": header has trailing content after its JSON object");
            return (ObjectNode) tree;
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            if (e instanceof JsonParseException && msg.startsWith("Duplicate field ")) {
                throw new IOException(source + ": header has a duplicate key " + msg.substring("Duplicate field ".length())
                        + " (tensor names must be unique)", e);
            }
            throw new IOException(source + ": header is not valid JSON: " + msg, e);
        }
    }

    private static Map<String, String> metadata(JsonNode node, String source) throws IOException {
        if (!node.isObject()) throw new IOException(source + ": " + METADATA_KEY + " must be an object of strings, got " + node);
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) throw new IOException(source + ": " + METADATA_KEY + " value of '" + f.getKey() + "' must be a string, got " + f.getValue());
            out.put(f.getKey(), f.getValue().textValue());
        }
        return out;
    }

    private static Entry entry(String name, JsonNode node, String source) throws IOException {
        String where = source + ": tensor '" + name + "'";
        if (name.isEmpty()) throw new IOException(source + ": a tensor has an empty name");
        if (!node.isObject()) throw new IOException(where + " must be an object with dtype, shape and data_offsets, got " + node);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("dtype") && !f.equals("shape") && !f.equals("data_offsets")) throw new IOException(where + " has unknown field '" + f + "'");
        }
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual()) throw new IOException(where + " has no dtype string");
        DType dtype;
        try {
            dtype = DType.valueOf(dt.textValue());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + " has dtype " + dt.textValue() + "; supported: " + Arrays.toString(DType.values()));
        }
        int[] shape = shape(node.get("shape"), where);
        long[] offsets = offsets(node.get("data_offsets"), where);
        Entry entry = new Entry(name, dtype, shape, offsets[0], offsets[1]);
        long expected;
        try {
            expected = Math.multiplyExact(entry.elementCount(), dtype.itemSize());
        } catch (ArithmeticException e) {
            throw new IOException(where + " shape " + Arrays.toString(shape) + " overflows");
        }
        if (offsets[1] - offsets[0] != expected) {
            throw new IOException(where + " has " + (offsets[1] - offsets[0]) + " data bytes [" + offsets[0] + ", " + offsets[1] + "), but shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
        }
        return entry;
    }

    private static int[] shape(JsonNode node, String where) throws IOException {
        if (node == null || !node.isArray()) throw new IOException(where + " has no shape array");
        int[] shape = new int[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) throw new IOException(where + " has invalid shape " + node);
            shape[i] = v.intValue();
        }
        return shape;
    }

    private static long[] offsets(JsonNode node, String where) throws IOException {
        if (node == null || !node.isArray() || node.size() != 2) throw new IOException(where + " needs data_offsets [begin, end], got " + node);
        long[] o = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) throw new IOException(where + " has invalid data_offsets " + node);
            o[i] = v.longValue();
        }
        if (o[1] < o[0]) throw new IOException(where + " has data_offsets " + node + " with end before begin");
        return o;
    }

    /** The tensors must tile {@code [0, length)}: in range, no overlap, no hole, nothing after. */
    private static void checkTiling(Map<String, Entry> entries, long length, String source) throws IOException {
        List<Entry> byOffset = new ArrayList<>(entries.values());
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.end() > length) {
                throw new IOException(source + ": tensor '" + e.name() + "' data_offsets [" + e.begin() + ", " + e.end() + ") run past the byte buffer of "
                        + length + " bytes");
            }
            if (e.begin() < at) {
                throw new IOException(source + ": tensor '" + e.name() + "' data_offsets [" + e.begin() + ", " + e.end() + ") overlap tensor '"
                        + previous.name() + "' [" + previous.begin() + ", " + previous.end() + ")");
            }
            if (e.begin() > at) {
                throw new IOException(source + ": bytes [" + at + ", " + e.begin() + ") before tensor '" + e.name() + "' belong to no tensor");
            }
            at = e.end();
            previous = e;
        }
        if (at != length) throw new IOException(source + ": bytes [" + at + ", " + length + ") at the end of the byte buffer belong to no tensor");
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return entries.keySet();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new IllegalArgumentException("no tensor '" + name + "' in " + source + " (it has " + names() + ")");
        return e;
    }

    public int[] shape(String name) {
        return entry(name).shape().clone();
    }

    public DType dtype(String name) {
        return entry(name).dtype();
    }

    /** The header's {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Where this was read from, as named in errors. */
    public String source() {
        return source;
    }

    /**
     * A float tensor's values (F32, or F16/BF16 widened), row-major.
     *
     * @param expectedShape the shape it must have; none to accept any
     */
    public float[] floats(String name, int... expectedShape) {
        Entry e = checked(name, expectedShape, true);
        int n = elements(e);
        ByteBuffer b = bytes(e);
        float[] out = new float[n];
        switch (e.dtype()) {
            case F32 -> b.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = halfToFloat(b.getShort(2 * i));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
            }
            default -> throw new IllegalStateException(e.dtype().name());
        }
        return out;
    }

    /**
     * An integer tensor's values (I32, or I64 narrowed where every value fits), row-major.
     *
     * @param expectedShape the shape it must have; none to accept any
     */
    public int[] ints(String name, int... expectedShape) {
        Entry e = checked(name, expectedShape, false);
        int n = elements(e);
        ByteBuffer b = bytes(e);
        int[] out = new int[n];
        if (e.dtype() == DType.I32) {
            b.asIntBuffer().get(out);
            return out;
        }
        for (int i = 0; i < n; i++) {
            long v = b.getLong(8 * i);
            if (v != (int) v) throw new IllegalArgumentException("tensor '" + name + "' in " + source + " has I64 value " + v + " at index " + i + ", beyond int range");
            out[i] = (int) v;
        }
        return out;
    }

    private Entry checked(String name, int[] expectedShape, boolean wantFloat) {
        Entry e = entry(name);
        if (e.dtype().isFloat() != wantFloat) {
            throw new IllegalArgumentException("tensor '" + name + "' in " + source + " has dtype " + e.dtype() + ", expected "
                    + (wantFloat ? "a float dtype (F32, F16, BF16)" : "an integer dtype (I32, I64)"));
        }
        if (expectedShape.length > 0 && !Arrays.equals(e.shape(), expectedShape)) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(e.shape()) + ", expected "
                    + Arrays.toString(expectedShape) + " (in " + source + ")");
        }
        return e;
    }

    private int elements(Entry e) {
        long n = e.elementCount();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor '" + e.name() + "' in " + source + " has " + n + " elements, too many for one array");
        return (int) n;
    }

    private ByteBuffer bytes(Entry e) {
        return data.duplicate().position((int) e.begin()).limit((int) e.end()).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** IEEE 754 binary16 to float, exactly (every half value is a float). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        float magnitude;
        if (exponent == 0) {
            magnitude = mantissa * 0x1p-24f;
        } else if (exponent == 31) {
            magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            magnitude = Float.intBitsToFloat((exponent - 15 + 127) << 23 | mantissa << 13);
        }
        return (bits & 0x8000) != 0 ? -magnitude : magnitude;
    }

    public static Writer writer() {
        return new Writer();
    }

    @Override
    public String toString() {
        return "SafeTensors[" + source + ", " + entries.values() + "]";
    }

    /**
     * Builds a safetensors file: tensors in the order added, packed back to back, the header padded
     * with spaces to a multiple of 8 bytes (as the reference writer does, so data stays aligned).
     */
    public static final class Writer {
        private record Pending(DType dtype, int[] shape, byte[] bytes) {
        }

        private final Map<String, Pending> tensors = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Writer() {
        }

        public Writer putFloats(String name, float[] values, int... shape) {
            checkCount(name, values.length, shape);
            ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return putRaw(name, DType.F32, shape, b.array());
        }

        public Writer putInts(String name, int[] values, int... shape) {
            checkCount(name, values.length, shape);
            ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(values);
            return putRaw(name, DType.I32, shape, b.array());
        }

        /** A tensor given as its little-endian bytes (how F16, BF16 and I64 tensors are written). */
        public Writer putRaw(String name, DType dtype, int[] shape, byte[] littleEndian) {
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            if (tensors.containsKey(name)) throw new IllegalArgumentException("tensor '" + name + "' was already added");
            long n = 1;
            for (int s : shape) {
                if (s < 0) throw new IllegalArgumentException("tensor '" + name + "' has negative shape " + Arrays.toString(shape));
                n = Math.multiplyExact(n, s);
            }
            if (littleEndian.length != n * dtype.itemSize()) {
                throw new IllegalArgumentException("tensor '" + name + "' has " + littleEndian.length + " bytes, shape " + Arrays.toString(shape) + " of "
                        + dtype + " needs " + n * dtype.itemSize());
            }
            tensors.put(name, new Pending(dtype, shape.clone(), littleEndian.clone()));
            return this;
        }

        public Writer metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        private static void checkCount(String name, int count, int[] shape) {
            long n = 1;
            for (int s : shape) n *= s;
            if (n != count) throw new IllegalArgumentException("tensor '" + name + "' has " + count + " values, shape " + Arrays.toString(shape) + " holds " + n);
        }

        public byte[] toBytes() {
            ObjectNode header = JSON.createObjectNode();
            if (!metadata.isEmpty()) {
                ObjectNode meta = header.putObject(METADATA_KEY);
                metadata.forEach(meta::put);
            }
            long offset = 0;
            for (Map.Entry<String, Pending> t : tensors.entrySet()) {
                ObjectNode e = header.putObject(t.getKey());
                e.put("dtype", t.getValue().dtype().name());
                ArrayNode shape = e.putArray("shape");
                for (int s : t.getValue().shape()) shape.add(s);
                long length = t.getValue().bytes().length;
                e.putArray("data_offsets").add(offset).add(offset + length);
                offset += length;
            }
            byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
            int padded = (json.length + 7) / 8 * 8;
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, 8 + padded + offset));
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.writeBytes(json);
            for (int i = json.length; i < padded; i++) out.write(' ');
            for (Pending t : tensors.values()) out.writeBytes(t.bytes());
            return out.toByteArray();
        }

        public void write(Path file) throws IOException {
            Files.write(file, toBytes());
        }
    }
}
