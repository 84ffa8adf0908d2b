package io.minkstream.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    /** A file with a given header text and byte buffer, as a hostile or buggy writer might produce. */
    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).put(data).array();
    }

    private static byte[] floatsLe(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void writerAndReaderRoundTripEveryDtypeShapeAndMetadata() throws IOException {
        float[] kernel = {1.5f, -2f, 3.25f, 0f, Float.MIN_VALUE, -Float.MAX_VALUE};
        Path p = dir.resolve("w.safetensors");
        SafeTensors.writer()
                .metadata("format", "pt")
                .metadata("minkstream.ignore", "x.*")
                .putFloats("enc1.kernel", kernel, 3, 1, 2)
                .putInts("ids", new int[] {7, -8, Integer.MAX_VALUE, Integer.MIN_VALUE}, 4)
                .putFloats("scalar", new float[] {42f})
                .putFloats("empty", new float[0], 0, 5)
                .write(p);

        SafeTensors st = SafeTensors.read(p);
        assertThat(st.names()).containsExactly("enc1.kernel", "ids", "scalar", "empty");
        assertThat(st.shape("enc1.kernel")).containsExactly(3, 1, 2);
        assertThat(st.dtype("enc1.kernel")).isEqualTo(SafeTensors.DType.F32);
        assertThat(st.floats("enc1.kernel", 3, 1, 2)).containsExactly(kernel);
        assertThat(st.floats("enc1.kernel")).containsExactly(kernel);
        assertThat(st.dtype("ids")).isEqualTo(SafeTensors.DType.I32);
        assertThat(st.ints("ids", 4)).containsExactly(7, -8, Integer.MAX_VALUE, Integer.MIN_VALUE);
        assertThat(st.shape("scalar")).isEmpty();
        assertThat(st.floats("scalar")).containsExactly(42f);
        assertThat(st.floats("empty", 0, 5)).isEmpty();
        assertThat(st.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("minkstream.ignore", "x.*"));
        assertThat(st.source()).isEqualTo(p.toString());

        byte[] bytes = Files.readAllBytes(p);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).as("header padded so the data starts 8-aligned").isZero();
        assertThat(bytes.length).isEqualTo(8 + headerLength + 6 * 4 + 4 * 4 + 4);
        SafeTensors fromMemory = SafeTensors.parse(bytes, "mem");
        assertThat(fromMemory.floats("enc1.kernel")).containsExactly(kernel);
        SafeTensors fromStream = SafeTensors.read(new ByteArrayInputStream(bytes), "stream");
        assertThat(fromStream.ints("ids")).containsExactly(7, -8, Integer.MAX_VALUE, Integer.MIN_VALUE);
    }

    @Test
    void writerProducesTheReferenceLayoutByteForByte() {
        byte[] bytes = SafeTensors.writer().metadata("format", "pt").putFloats("a", new float[] {1f, 2f}, 2).toBytes();
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        int padded = (json.length() + 7) / 8 * 8;
        byte[] expected = file(json + " ".repeat(padded - json.length()), floatsLe(1f, 2f));
        assertThat(bytes).isEqualTo(expected);
    }

    @Test
    void readsHandWrittenHeaderWithWhitespaceAndTensorsOutOfOffsetOrder() throws IOException {
        String header = "{\n  \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},\n"
                + "  \"a\": {\"shape\": [2], \"data_offsets\": [4, 12], \"dtype\": \"F32\"}\n}   ";
        SafeTensors st = SafeTensors.read(write("h.safetensors", file(header, floatsLe(9f, 1f, 2f))));
        assertThat(st.names()).containsExactly("b", "a");
        assertThat(st.floats("a", 2)).containsExactly(1f, 2f);
        assertThat(st.floats("b", 1)).containsExactly(9f);
        assertThat(st.metadata()).isEmpty();
    }

    @Test
    void halfAndBfloat16WidenToFloatExactly() throws IOException {
        short[] half = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x0400, 0x3555, 0x7C00, (short) 0xFC00, 0x0000, (short) 0x8000};
        float[] halfValues = {1f, -2f, 65504f, 0x1p-24f, 0x1p-14f, 0.333251953125f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f};
        short[] bf16 = {0x3F80, (short) 0xC040, 0x4049, 0x0000};
        float[] bfValues = {1f, -3f, 3.140625f, 0f};
        byte[] bytes = SafeTensors.writer()
                .putRaw("h", SafeTensors.DType.F16, new int[] {half.length}, shortsLe(half))
                .putRaw("b", SafeTensors.DType.BF16, new int[] {2, 2}, shortsLe(bf16))
                .putRaw("nan", SafeTensors.DType.F16, new int[] {1}, shortsLe(new short[] {0x7E00}))
                .toBytes();
        SafeTensors st = SafeTensors.parse(bytes, "halves");
        assertThat(st.floats("h", half.length)).containsExactly(halfValues);
        assertThat(st.floats("b", 2, 2)).containsExactly(bfValues);
        assertThat(st.floats("nan")[0]).isNaN();
    }

    @Test
    void int64NarrowsToIntOrFailsNamingTheValue() throws IOException {
        ByteBuffer ok = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).putLong(Integer.MAX_VALUE);
        ByteBuffer big = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        SafeTensors st = SafeTensors.parse(SafeTensors.writer()
                .putRaw("ok", SafeTensors.DType.I64, new int[] {2}, ok.array())
                .putRaw("big", SafeTensors.DType.I64, new int[] {1}, big.array()).toBytes(), "longs");
        assertThat(st.ints("ok", 2)).containsExactly(-5, Integer.MAX_VALUE);
        assertThatThrownBy(() -> st.ints("big"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'big' in longs has I64 value 1099511627776 at index 0, beyond int range");
    }

    @Test
    void accessorsNameTensorExpectedAndFoundShapeAndDtype() throws IOException {
        SafeTensors st = SafeTensors.parse(SafeTensors.writer()
                .putFloats("enc1.kernel", new float[27 * 4 * 8], 27, 4, 8)
                .putInts("idx", new int[] {1}, 1).toBytes(), "w.safetensors");
        assertThatThrownBy(() -> st.floats("enc1.kernel", 81, 4, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'enc1.kernel' has shape [27, 4, 8], expected [81, 4, 8] (in w.safetensors)");
        assertThatThrownBy(() -> st.floats("enc2.kernel"))
                .hasMessage("no tensor 'enc2.kernel' in w.safetensors (it has [enc1.kernel, idx])");
        assertThatThrownBy(() -> st.floats("idx"))
                .hasMessage("tensor 'idx' in w.safetensors has dtype I32, expected a float dtype (F32, F16, BF16)");
        assertThatThrownBy(() -> st.ints("enc1.kernel"))
                .hasMessage("tensor 'enc1.kernel' in w.safetensors has dtype F32, expected an integer dtype (I32, I64)");
    }

    /** Each corrupt file: its bytes and a fragment its error must contain (besides the file name). */
    private void assertCorrupt(byte[] bytes, String... fragments) throws IOException {
        Path p = write("bad.safetensors", bytes);
        assertThatThrownBy(() -> SafeTensors.read(p))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(p + ": ")
                .hasMessageContainingAll(fragments);
        assertThatThrownBy(() -> SafeTensors.parse(bytes, "mem"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("mem: ")
                .hasMessageContainingAll(fragments);
    }

    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        assertCorrupt(new byte[] {1, 2, 3, 4, 5}, "file has 5 bytes, too short for the 8-byte header length");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        byte[] bytes = file("{}", new byte[0]);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        assertCorrupt(bytes, "header length 1000 exceeds the file (10 bytes, 2 after the length field)");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1);
        assertCorrupt(bytes, "header length 18446744073709551615 exceeds the file");
    }

    @Test
    void headerThatIsNotAJsonObject() throws IOException {
        assertCorrupt(file("[1, 2]", new byte[0]), "header is not a JSON object");
        assertCorrupt(file("{\"a\": ", new byte[0]), "header is not valid JSON");
        assertCorrupt(file("{} {}", new byte[0]), "trailing content");
        byte[] badUtf8 = file("{\"\u00e9\":1}", new byte[0]);
        badUtf8[11] = (byte) 0xff;
        assertCorrupt(badUtf8, "header is not valid UTF-8");
    }

    @Test
    void duplicateTensorNames() throws IOException {
        assertCorrupt(file("{" + t("enc1.kernel", "F32", "[1]", 0, 4) + "," + t("enc1.kernel", "F32", "[1]", 4, 8) + "}", floatsLe(1, 2)),
                "duplicate key 'enc1.kernel' (tensor names must be unique)");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        assertCorrupt(file("{" + t("w", "F32", "[4]", 0, 16) + "}", floatsLe(1, 2)),
                "tensor 'w' data_offsets [0, 16) run past the byte buffer of 8 bytes");
    }

    @Test
    void overlappingTensors() throws IOException {
        assertCorrupt(file("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}", floatsLe(1, 2, 3)),
                "tensor 'b' data_offsets [4, 12) overlap tensor 'a' [0, 8)");
    }

    @Test
    void holesAndTrailingBytes() throws IOException {
        assertCorrupt(file("{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 8, 12) + "}", floatsLe(1, 2, 3)),
                "bytes [4, 8) before tensor 'b' belong to no tensor");
        assertCorrupt(file("{" + t("a", "F32", "[1]", 0, 4) + "}", floatsLe(1, 2)),
                "bytes [4, 8) at the end of the byte buffer belong to no tensor");
    }

    @Test
    void byteSizeDifferentFromShapeTimesItemSize() throws IOException {
        assertCorrupt(file("{" + t("enc1.bias", "F32", "[3]", 0, 8) + "}", floatsLe(1, 2)),
                "tensor 'enc1.bias' has 8 data bytes [0, 8), but shape [3] of F32 needs 12");
        assertCorrupt(file("{" + t("h", "F16", "[2]", 0, 8) + "}", floatsLe(1, 2)), "tensor 'h' has 8 data bytes [0, 8), but shape [2] of F16 needs 4");
    }

    @Test
    void unsupportedDtypeAndMalformedEntries() throws IOException {
        assertCorrupt(file("{" + t("d", "F64", "[1]", 0, 8) + "}", floatsLe(1, 2)), "tensor 'd' has dtype F64; supported: [F32, F16, BF16, I32, I64]");
        assertCorrupt(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", floatsLe(1)), "tensor 'w' has no dtype string");
        assertCorrupt(file("{" + t("w", "F32", "[-1]", 0, 4) + "}", floatsLe(1)), "tensor 'w' has invalid shape [-1]");
        assertCorrupt(file("{" + t("w", "F32", "[1]", 4, 0) + "}", floatsLe(1)), "tensor 'w' has data_offsets [4,0] with end before begin");
        assertCorrupt(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", floatsLe(1)), "tensor 'w' needs data_offsets [begin, end]");
        assertCorrupt(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", floatsLe(1)), "tensor 'w' has unknown field 'x'");
        assertCorrupt(file("{\"__metadata__\":{\"n\":1}}", new byte[0]), "__metadata__ value of 'n' must be a string, got 1");
    }

    @Test
    void writerRejectsInconsistentTensors() {
        SafeTensors.Writer w = SafeTensors.writer().putFloats("a", new float[2], 2);
        assertThatThrownBy(() -> w.putFloats("b", new float[5], 2, 3)).hasMessage("tensor 'b' has 5 values, shape [2, 3] holds 6");
        assertThatThrownBy(() -> w.putFloats("a", new float[2], 2)).hasMessage("tensor 'a' was already added");
        assertThatThrownBy(() -> w.putFloats("__metadata__", new float[1], 1)).hasMessage("invalid tensor name '__metadata__'");
        assertThatThrownBy(() -> w.putRaw("h", SafeTensors.DType.F16, new int[] {3}, new byte[4]))
                .hasMessage("tensor 'h' has 4 bytes, shape [3] of F16 needs 6");
    }

    private static byte[] shortsLe(short[] v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short x : v) b.putShort(x);
        return b.array();
    }
}
