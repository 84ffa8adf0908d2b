package io.minkstream.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.jobs.cli.MinkstreamCli;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a user runs it, in-process through the CLI: a real broker, the job on a mini cluster,
 * the simulator with malformed records mixed in, and the read_committed consumer. Checks the summary
 * line's fields and the pictures.
 */
class DemoITCase {
    private static final Pattern SUMMARY = Pattern.compile(
            "demo: frames_in=(\\d+) frames_out=(\\d+) rejected=(\\d+) voxels_per_window=(\\d+) throughput_fps=(\\S+)"
                    + " latency_ms_p50=(\\S+) latency_ms_p99=(\\S+) moving_precision=(\\S+) moving_recall=(\\S+)");
    private static final String[] FIELDS = {"frames_in", "frames_out", "rejected", "voxels_per_window", "throughput_fps",
        "latency_ms_p50", "latency_ms_p99", "moving_precision", "moving_recall"};

    /** What the demo printed on stdout and its exit status. */
    private record Run(int status, List<String> lines, Map<String, String> summary, List<Path> pictures) {
    }

    private static Run demo(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        try (PrintStream tee = new PrintStream(new TeeStream(captured, stdout), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            String[] full = new String[args.length + 1];
            full[0] = "demo";
            System.arraycopy(args, 0, full, 1, args.length);
            status = MinkstreamCli.commandLine().execute(full);
        } finally {
            System.setOut(stdout);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> summaries = lines.stream().filter(l -> l.startsWith("demo: frames_in=")).toList();
        assertThat(summaries).as("exactly one summary line in " + lines).hasSize(1);
        Matcher m = SUMMARY.matcher(summaries.get(0));
        assertThat(m.matches()).as("summary format: " + summaries.get(0)).isTrue();
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < FIELDS.length; i++) fields.put(FIELDS[i], m.group(i + 1));
        List<Path> pictures = lines.stream().filter(l -> l.startsWith("demo: png=")).map(l -> Path.of(l.substring("demo: png=".length()))).toList();
        // Only the demo's own lines: the test JVM's log configuration also writes to stdout.
        List<String> demoLines = lines.stream().filter(l -> l.startsWith("demo: ")).toList();
        assertThat(demoLines.get(demoLines.size() - 1)).as("the summary comes last in " + lines).isEqualTo(summaries.get(0));
        assertThat(demoLines.subList(0, demoLines.size() - 1)).as("before it, only picture paths").allMatch(l -> l.startsWith("demo: png="));
        return new Run(status, lines, fields, pictures);
    }

    @Test
    void simulatedSensorsWithMalformedFramesComeOutCompleteAndScored(@TempDir Path pngDir) throws Exception {
        Run run = demo("--frames", "30", "--sensors", "2", "--rate", "max", "--inject-bad", "3",
                "--png-dir", pngDir.toString(), "--web-ui-port", "0", "--timeout-s", "400");

        assertThat(run.status()).as(String.join("\n", run.lines())).isZero();
        Map<String, String> s = run.summary();
        long in = Long.parseLong(s.get("frames_in"));
        long out = Long.parseLong(s.get("frames_out"));
        long rejected = Long.parseLong(s.get("rejected"));
        assertThat(in).isEqualTo(2 * 30 + 3);
        assertThat(rejected).isEqualTo(3);
        assertThat(out).isEqualTo(in - rejected);
        assertThat(Long.parseLong(s.get("voxels_per_window"))).isPositive();
        assertThat(Double.parseDouble(s.get("throughput_fps"))).isPositive();
        double p50 = Double.parseDouble(s.get("latency_ms_p50"));
        assertThat(p50).isPositive();
        assertThat(Double.parseDouble(s.get("latency_ms_p99"))).isGreaterThanOrEqualTo(p50);
        assertThat(Double.parseDouble(s.get("moving_precision"))).isBetween(0.0, 1.0);
        assertThat(Double.parseDouble(s.get("moving_recall"))).isBetween(0.0, 1.0);

        assertThat(run.pictures()).hasSize(2);
        for (Path png : run.pictures()) {
            assertThat(png).exists().startsWith(pngDir);
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(count(image, DemoITCase::isRed)).as("red (moving) pixels in " + png).isPositive();
            assertThat(count(image, DemoITCase::isGrey)).as("grey (static) pixels in " + png).isPositive();
        }
    }

    @Test
    void replaysAKittiSequence(@TempDir Path pngDir) {
        Path kitti = sharedFolder().resolve("realdata/kitti-odometry-00-sample");
        Assumptions.assumeTrue(Files.isDirectory(kitti.resolve("velodyne")), "KITTI sample not found at " + kitti);

        Run run = demo("--replay", kitti.toString(), "--rate", "max", "--png-dir", pngDir.toString(), "--web-ui-port", "0");

        assertThat(run.status()).as(String.join("\n", run.lines())).isZero();
        assertThat(run.summary().get("frames_in")).isEqualTo("4");
        assertThat(run.summary().get("frames_out")).isEqualTo("4");
        assertThat(run.summary().get("rejected")).isEqualTo("0");
        assertThat(Long.parseLong(run.summary().get("voxels_per_window"))).as("the crop box follows the car").isPositive();
        assertThat(run.summary().get("moving_precision")).as("the sample has no labels").isEqualTo("n/a");
        assertThat(run.pictures()).singleElement().satisfies(p -> assertThat(p).exists());
    }

    private static Path sharedFolder() {
        String property = System.getProperty("shared.dir");
        return property != null ? Path.of(property) : Path.of("../../shared");
    }

    private static boolean isRed(int rgb) {
        int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
        return r > 200 && g < 80 && b < 80;
    }

    private static boolean isGrey(int rgb) {
        int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
        return r == g && g == b && r >= 100 && r <= 230;
    }

    private static long count(BufferedImage image, java.util.function.IntPredicate colour) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (colour.test(image.getRGB(x, y))) n++;
            }
        }
        return n;
    }

    /** Writes to both streams: the test keeps what the demo printed, the log still shows it. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int v) throws java.io.IOException {
            a.write(v);
            b.write(v);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
