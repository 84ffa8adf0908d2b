package io.minkstream.jobs.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcdSequenceTest {

    @TempDir
    Path temp;

    @Test
    void readsAsciiAndBinaryFilesInNameOrder() throws IOException {
        Files.writeString(temp.resolve("b.pcd"), """
                # .PCD v0.7 - Point Cloud Data file format
                VERSION 0.7
                FIELDS x y z intensity
                SIZE 4 4 4 4
                TYPE F F F F
                COUNT 1 1 1 1
                WIDTH 3
                HEIGHT 1
                VIEWPOINT 0 0 0 1 0 0 0
                POINTS 3
                DATA ascii
                1.5 -2.25 0.125 0.75
                10 20 30 1e-3
                -4.5 5.5e1 -0.0 12
                """);
        ByteBuffer data = ByteBuffer.allocate(2 * 16).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(1).putFloat(2).putFloat(3).putFloat(0.5f);
        data.putFloat(-1).putFloat(-2).putFloat(-3).putFloat(0.25f);
        writeBinary(temp.resolve("a.pcd"), """
                VERSION .7
                FIELDS x y z intensity
                SIZE 4 4 4 4
                TYPE F F F F
                COUNT 1 1 1 1
                WIDTH 2
                HEIGHT 1
                POINTS 2
                DATA binary
                """, data.array());
        Files.writeString(temp.resolve("notes.txt"), "not a cloud");

        PcdSequence sequence = PcdSequence.open(temp, "pcd-0", 20);

        assertThat(sequence.size()).isEqualTo(2);
        assertThat(sequence.file(0).getFileName().toString()).isEqualTo("a.pcd");
        ScanFrame binary = sequence.frame(0);
        assertThat(binary.sequence()).isZero();
        assertThat(binary.timestampMicros()).isZero();
        assertThat(binary.sensorId()).isEqualTo("pcd-0");
        assertThat(binary.positions()).containsExactly(1, 2, 3, -1, -2, -3);
        assertThat(binary.features()).containsExactly(0.5f, 0.25f);
        assertThat(binary.pose()).isNull();

        ScanFrame ascii = sequence.frame(1);
        assertThat(ascii.sequence()).isEqualTo(1);
        assertThat(ascii.timestampMicros()).isEqualTo(50_000);
        assertThat(ascii.positions()).containsExactly(1.5f, -2.25f, 0.125f, 10, 20, 30, -4.5f, 55f, -0.0f);
        assertThat(ascii.features()).containsExactly(0.75f, 1e-3f, 12f);
        assertThat(ascii.featureChannels()).isEqualTo(1);
        assertThat(ascii.pose()).containsExactly(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
        assertThat(ascii.labels()).isNull();
    }

    @Test
    void binaryFieldsInAnyOrderWithExtraFieldsSkipped() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(2 * 32).order(ByteOrder.LITTLE_ENDIAN);
        // Per point: rgb(F4), normal(F4 x3), intensity, z, x, y
        data.putFloat(0.1f).putFloat(0.2f).putFloat(0.3f).putFloat(0.4f).putFloat(5).putFloat(3).putFloat(1)
                .putFloat(2);
        data.putFloat(0.1f).putFloat(0.2f).putFloat(0.3f).putFloat(0.4f).putFloat(6).putFloat(-3).putFloat(-1)
                .putFloat(-2);
        writeBinary(temp.resolve("000.pcd"), """
                FIELDS rgb normal intensity z x y
                SIZE 4 4 4 4 4 4
                TYPE F F F F F F
                COUNT 1 3 1 1 1 1
                WIDTH 2
                HEIGHT 1
                POINTS 2
                DATA binary
                """, data.array());

        ScanFrame frame = PcdSequence.open(temp, "s").frame(0);

        assertThat(frame.positions()).containsExactly(1, 2, 3, -1, -2, -3);
        assertThat(frame.features()).containsExactly(5, 6);
    }

    @Test
    void dropsNonFinitePointsOfOrganizedCloudsAndConvertsIntegerIntensity() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(4 * 13).order(ByteOrder.LITTLE_ENDIAN);
        float[][] xyz = {{1, 2, 3}, {Float.NaN, Float.NaN, Float.NaN}, {4, 5, 6}, {7, Float.POSITIVE_INFINITY, 9}};
        int[] intensity = {200, 0, 17, 3};
        for (int p = 0; p < 4; p++) {
            data.putFloat(xyz[p][0]).putFloat(xyz[p][1]).putFloat(xyz[p][2]).put((byte) intensity[p]);
        }
        writeBinary(temp.resolve("organized.pcd"), """
                FIELDS x y z intensity
                SIZE 4 4 4 1
                TYPE F F F U
                COUNT 1 1 1 1
                WIDTH 2
                HEIGHT 2
                VIEWPOINT 1 2 3 0.70710678 0 0 0.70710678
                POINTS 4
                DATA binary
                """, data.array());
        Files.writeString(temp.resolve("xyz-only.pcd"), """
                FIELDS x y z
                SIZE 4 4 4
                TYPE F F F
                WIDTH 2
                HEIGHT 1
                DATA ascii
                1 2 3
                nan nan nan
                """);

        PcdSequence sequence = PcdSequence.open(temp, "s");
        ScanFrame organized = sequence.frame(0);
        ScanFrame xyzOnly = sequence.frame(1);

        assertThat(organized.positions()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(organized.features()).containsExactly(200, 17);
        // VIEWPOINT: translation (1, 2, 3), 90 degrees about z.
        float[] expectedPose = {0, -1, 0, 1, 1, 0, 0, 2, 0, 0, 1, 3, 0, 0, 0, 1};
        for (int k = 0; k < 16; k++) {
            assertThat(organized.pose()[k]).as("pose element %d", k).isCloseTo(expectedPose[k], within(1e-6f));
        }
        assertThat(xyzOnly.positions()).containsExactly(1, 2, 3);
        assertThat(xyzOnly.featureChannels()).isZero();
        assertThat(xyzOnly.features()).isEmpty();
    }

    @Test
    void readsTheCheckedInPclAsciiFile() throws IOException, URISyntaxException {
        Path folder = Path.of(getClass().getResource("/sensor/pcd-ascii").toURI());

        ScanFrame frame = PcdSequence.open(folder, "pcl").frame(0);

        assertThat(frame.pointCount()).isEqualTo(5);
        assertThat(frame.positions()).startsWith(0.93773f, 0.33763f, 0f);
        assertThat(frame.positions()).endsWith(-0.5f, 1.25f, -3.75f);
        assertThat(frame.features()).containsExactly(0.1f, 0.2f, 0.3f, 0.4f, 0.5f);
    }

    @Test
    void binaryCompressedIsRefusedClearly() throws IOException {
        writeBinary(temp.resolve("c.pcd"), """
                FIELDS x y z
                SIZE 4 4 4
                TYPE F F F
                WIDTH 1
                HEIGHT 1
                POINTS 1
                DATA binary_compressed
                """, new byte[24]);

        PcdSequence sequence = PcdSequence.open(temp, "s");

        assertThatThrownBy(() -> sequence.frame(0))
                .isInstanceOf(ScanFormatException.class)
                .hasMessageContaining("c.pcd")
                .hasMessageContaining("DATA binary_compressed is not supported");
    }

    @Test
    void brokenFilesAreRejectedNamingFileAndProblem() throws IOException {
        assertRejected("""
                FIELDS x y intensity
                SIZE 4 4 4
                TYPE F F F
                POINTS 1
                DATA ascii
                1 2 3
                """, "has no field z");
        assertRejected("""
                FIELDS x y z
                SIZE 4 4 4
                TYPE F F F
                COUNT 3 1 1
                POINTS 1
                DATA ascii
                1 2 3 4 5
                """, "field x has COUNT 3");
        assertRejected("""
                FIELDS x y z
                SIZE 4 4
                TYPE F F F
                POINTS 1
                DATA ascii
                1 2 3
                """, "SIZE has 2 entries but FIELDS has 3");
        assertRejected("""
                FIELDS x y z
                SIZE 4 4 4
                TYPE F F F
                POINTS 2
                DATA ascii
                1 2 3
                4 five 6
                """, "point 1: 'five' is not a number");
        assertRejected("""
                FIELDS x y z
                SIZE 4 4 4
                TYPE F F F
                POINTS 3
                DATA ascii
                1 2 3
                4 5 6
                """, "DATA ascii holds 2 points, the header declares 3");
        assertRejected("""
                FIELDS x y z
                SIZE 4 4 4
                TYPE F F F
                POINTS 2
                DATA binary
                0123456789abcdef
                """, "truncated: DATA binary needs 24 bytes for 2 points of 12 bytes, found 17");
        assertRejected("""
                FIELDS x y z
                SIZE 4 4 4
                TYPE F F F
                POINTS 1
                """, "header has no DATA line");
        assertRejected("""
                FIELDS x y z
                SIZE 4 4 3
                TYPE F F F
                POINTS 1
                DATA ascii
                1 2 3
                """, "field z: TYPE F SIZE 3 COUNT 1 is not a valid field layout");
    }

    @Test
    void emptyFolderIsRejected() {
        assertThatThrownBy(() -> PcdSequence.open(temp, "s"))
                .isInstanceOf(ScanFormatException.class)
                .hasMessageContaining("holds no .pcd files");
    }

    private void assertRejected(String content, String problem) throws IOException {
        Path file = temp.resolve("broken.pcd");
        Files.writeString(file, content);
        PcdSequence sequence = PcdSequence.open(temp, "s");

        assertThatThrownBy(() -> sequence.frame(0))
                .isInstanceOf(ScanFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(problem);
        Files.delete(file);
    }

    private static void writeBinary(Path file, String header, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        Files.write(file, out.toByteArray());
    }
}
