package io.minkstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code engine} command's output contract on a small synthetic case of the large case's layout. */
class EngineCommandTest {

    @Test
    void printsOneParsableLinePerBenchmark(@TempDir Path dir) throws IOException {
        writeCase(dir, new Random(3), 1500);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int status;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            status = new CommandLine(new EngineCommand()).execute("--case", dir.toString(), "--threads", "2", "--repeats", "3", "--warmups", "1", "--warmup-ms", "0");
        } finally {
            System.setOut(stdout);
        }
        assertThat(status).isZero();
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(EngineCommand.NAMES.size());
        for (int i = 0; i < lines.length; i++) {
            assertThat(lines[i]).matches("engine " + EngineCommand.NAMES.get(i) + " threads=2 median_ms=\\d+\\.\\d\\d gflops=(NaN|\\d+\\.\\d)");
        }
    }

    @Test
    void aMissingCaseFailsWithItsPath(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new EngineCommand());
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(e.getMessage());
            return 2;
        });
        assertThat(cli.execute("--case", dir.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("nowhere").contains("in_coords.npy");
    }

    /** Unique D = 4 coordinates in a small box, 64 feature columns, kernels for C = 32 and 64. */
    private static void writeCase(Path dir, Random rnd, int rows) throws IOException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        int[] coords = new int[rows * 5];
        for (int r = 0; r < rows; ) {
            int[] c = {0, rnd.nextInt(20) - 10, rnd.nextInt(20) - 10, rnd.nextInt(6), rnd.nextInt(4)};
            if (seen.add(Arrays.toString(c))) System.arraycopy(c, 0, coords, 5 * r++, 5);
        }
        writeNpy(dir.resolve("in_coords.npy"), "<i4", new int[] {rows, 5}, coords, null);
        writeNpy(dir.resolve("in_feats_64.npy"), "<f4", new int[] {rows, 64}, null, floats(rnd, rows * 64));
        writeNpy(dir.resolve("kernel_32.npy"), "<f4", new int[] {81, 32, 32}, null, floats(rnd, 81 * 32 * 32));
        writeNpy(dir.resolve("kernel_64.npy"), "<f4", new int[] {81, 64, 64}, null, floats(rnd, 81 * 64 * 64));
    }

    private static float[] floats(Random rnd, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) rnd.nextGaussian() * 0.1f;
        return f;
    }

    /** A .npy file, format 1.0, little-endian, C order. */
    private static void writeNpy(Path file, String dtype, int[] shape, int[] ints, float[] floats) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int s : shape) dims.append(s).append(", ");
        String header = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + dims.toString().strip() + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        int n = ints != null ? ints.length : floats.length;
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < n; i++) {
            if (ints != null) b.putInt(ints[i]);
            else b.putFloat(floats[i]);
        }
        Files.write(file, b.array());
    }
}
