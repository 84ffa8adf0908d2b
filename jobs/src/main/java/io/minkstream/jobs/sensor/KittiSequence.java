package io.minkstream.jobs.sensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A sequence in the KITTI odometry layout, with SemanticKITTI's labels where present:
 *
 * <pre>
 * folder/velodyne/NNNNNN.bin    float32 LE x, y, z, reflectance per point (16 bytes), sensor frame
 * folder/poses.txt              optional; line i = frame i: 12 numbers, 3x4 row-major cam0 pose P_i
 * folder/calib.txt              required with poses.txt: line "Tr: " + 12 numbers, Velodyne to cam0
 * folder/times.txt              optional; line i = frame i: seconds since the sequence start
 * folder/labels/NNNNNN.label    optional; uint32 LE per point: instance &lt;&lt; 16 | semantic class
 * </pre>
 *
 * <p>The frame number comes from the file name, not from the file's position in the folder, so a
 * folder holding only some frames of a sequence gets the right pose and time per frame; it becomes the
 * frame's {@code sequence}, and gaps show up as gaps. The Velodyne-to-world pose is {@code P_i . Tr}
 * (world = cam0 of frame 0), or {@code inv(Tr) . P_i . Tr} with {@link WorldFrame#VELODYNE0} (world =
 * Velodyne of frame 0, z up). Without times.txt frames are 0.1 s apart (10 Hz); timestamps count from
 * 0 (the sequence start), rebase them with {@link ScanFrame#withTimestampMicros}. Labels become motion
 * labels: semantic classes 252 to 259 (SemanticKITTI's moving-* classes) are 1, all others 0; scans
 * without a label file have null labels.
 *
 * <p>{@link #open} reads the small text files and checks every file's size, so a broken folder fails
 * before the first frame is replayed; point data is read per frame.
 */
public final class KittiSequence implements RecordedScanSource {

    /** Which frame a pose maps the Velodyne points into. */
    public enum WorldFrame {
        /** {@code P_i . Tr}: KITTI's own world, the left camera of frame 0 (x right, y down, z forward). */
        CAMERA0,
        /** {@code inv(Tr) . P_i . Tr}: the Velodyne of frame 0 (x forward, y left, z up). */
        VELODYNE0
    }

    static final int BYTES_PER_POINT = 16;
    static final int FIRST_MOVING_CLASS = 252;
    static final int LAST_MOVING_CLASS = 259;
    private static final long MICROS_PER_FRAME_AT_10_HZ = 100_000;
    private static final Pattern SCAN_NAME = Pattern.compile("(\\d+)\\.bin");

    private final String sensorId;
    private final Path[] scans;
    private final long[] frameNumbers;
    private final Path[] labelFiles;
    private final float[][] poses;
    private final long[] timestampsMicros;

    private KittiSequence(String sensorId, Path[] scans, long[] frameNumbers, Path[] labelFiles, float[][] poses,
            long[] timestampsMicros) {
        this.sensorId = sensorId;
        this.scans = scans;
        this.frameNumbers = frameNumbers;
        this.labelFiles = labelFiles;
        this.poses = poses;
        this.timestampsMicros = timestampsMicros;
    }

    /** Opens {@code folder} with poses in KITTI's own world frame ({@link WorldFrame#CAMERA0}). */
    public static KittiSequence open(Path folder, String sensorId) throws IOException {
        return open(folder, sensorId, WorldFrame.CAMERA0);
    }

    public static KittiSequence open(Path folder, String sensorId, WorldFrame worldFrame) throws IOException {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(worldFrame, "worldFrame");
        Path velodyne = folder.resolve("velodyne");
        if (!Files.isDirectory(velodyne)) {
            throw new ScanFormatException(folder, "not a KITTI sequence: no velodyne/ folder");
        }
        List<Path> scanFiles = listScans(velodyne);
        int n = scanFiles.size();
        Path[] scans = scanFiles.toArray(Path[]::new);
        long[] frameNumbers = new long[n];
        long lastFrame = -1;
        for (int i = 0; i < n; i++) {
            frameNumbers[i] = frameNumber(scans[i]);
            if (frameNumbers[i] == lastFrame) {
                throw new ScanFormatException(scans[i], "frame " + lastFrame + " appears twice (as "
                        + scans[i - 1].getFileName() + " and " + scans[i].getFileName() + ")");
            }
            lastFrame = frameNumbers[i];
            long size = Files.size(scans[i]);
            if (size % BYTES_PER_POINT != 0) {
                throw new ScanFormatException(scans[i], "length " + size + " bytes is not a multiple of "
                        + BYTES_PER_POINT + " (x, y, z, reflectance as float32 per point)");
            }
        }
        Path[] labelFiles = labelFiles(folder.resolve("labels"), scans, frameNumbers);
        float[][] poses = poses(folder, frameNumbers, worldFrame);
        long[] timestamps = timestamps(folder.resolve("times.txt"), frameNumbers);
        return new KittiSequence(sensorId, scans, frameNumbers, labelFiles, poses, timestamps);
    }

    @Override
    public String sensorId() {
        return sensorId;
    }

    @Override
    public int size() {
        return scans.length;
    }

    /** The frame number (from the file name) of the scan at {@code index}. */
    public long frameNumber(int index) {
        return frameNumbers[index];
    }

    @Override
    public ScanFrame frame(int index) {
        Objects.checkIndex(index, scans.length);
        Path scan = scans[index];
        ByteBuffer bytes = readLittleEndian(scan);
        if (bytes.remaining() % BYTES_PER_POINT != 0) {
            throw new ScanFormatException(scan, "length " + bytes.remaining() + " bytes is not a multiple of "
                    + BYTES_PER_POINT + " (the file changed after the sequence was opened)");
        }
        int points = bytes.remaining() / BYTES_PER_POINT;
        float[] positions = new float[3 * points];
        float[] intensity = new float[points];
        for (int p = 0; p < points; p++) {
            positions[3 * p] = bytes.getFloat();
            positions[3 * p + 1] = bytes.getFloat();
            positions[3 * p + 2] = bytes.getFloat();
            intensity[p] = bytes.getFloat();
        }
        int[] labels = labelFiles[index] == null ? null : motionLabels(labelFiles[index], points);
        float[] pose = poses == null ? null : poses[index].clone();
        return new ScanFrame(sensorId, frameNumbers[index], timestampsMicros[index], positions, intensity, 1, pose,
                labels);
    }

    /** SemanticKITTI label (instance &lt;&lt; 16 | class) to motion label: 1 for classes 252 to 259, else 0. */
    static int motionLabel(int semanticKittiLabel) {
        int semanticClass = semanticKittiLabel & 0xFFFF;
        return semanticClass >= FIRST_MOVING_CLASS && semanticClass <= LAST_MOVING_CLASS ? 1 : 0;
    }

    private static int[] motionLabels(Path file, int points) {
        ByteBuffer bytes = readLittleEndian(file);
        if (bytes.remaining() != 4L * points) {
            throw new ScanFormatException(file, "length " + bytes.remaining() + " bytes does not match the scan's "
                    + points + " points (4 bytes a point expected: " + 4L * points + ")");
        }
        int[] labels = new int[points];
        for (int p = 0; p < points; p++) {
            labels[p] = motionLabel(bytes.getInt());
        }
        return labels;
    }

    private static List<Path> listScans(Path velodyne) throws IOException {
        List<Path> scans = new ArrayList<>();
        try (Stream<Path> files = Files.list(velodyne)) {
            files.filter(f -> f.getFileName().toString().endsWith(".bin")).forEach(scans::add);
        }
        if (scans.isEmpty()) {
            throw new ScanFormatException(velodyne, "holds no .bin scans");
        }
        for (Path scan : scans) {
            frameNumber(scan);
        }
        scans.sort(Comparator.comparingLong(KittiSequence::frameNumber));
        return scans;
    }

    private static long frameNumber(Path scan) {
        var matcher = SCAN_NAME.matcher(scan.getFileName().toString());
        if (!matcher.matches() || matcher.group(1).length() > 18) {
            throw new ScanFormatException(scan, "file name is not a frame number (expected e.g. 000042.bin)");
        }
        return Long.parseLong(matcher.group(1));
    }

    /** Per scan, its label file when labels/ holds one, else null. */
    private static Path[] labelFiles(Path labels, Path[] scans, long[] frameNumbers) throws IOException {
        Path[] files = new Path[scans.length];
        if (!Files.isDirectory(labels)) {
            return files;
        }
        for (int i = 0; i < scans.length; i++) {
            String stem = scans[i].getFileName().toString().replaceFirst("\\.bin$", "");
            Path label = labels.resolve(stem + ".label");
            if (Files.isRegularFile(label)) {
                long expected = Files.size(scans[i]) / BYTES_PER_POINT * 4;
                long size = Files.size(label);
                if (size != expected) {
                    throw new ScanFormatException(label, "length " + size + " bytes does not match the "
                            + expected / 4 + " points of " + scans[i].getFileName() + " (4 bytes a point expected: "
                            + expected + ")");
                }
                files[i] = label;
            }
        }
        return files;
    }

    private static float[][] poses(Path folder, long[] frameNumbers, WorldFrame worldFrame) throws IOException {
        Path posesFile = folder.resolve("poses.txt");
        if (!Files.isRegularFile(posesFile)) {
            return null;
        }
        Path calibFile = folder.resolve("calib.txt");
        if (!Files.isRegularFile(calibFile)) {
            throw new ScanFormatException(folder, "has poses.txt but no calib.txt: the Velodyne-to-camera "
                    + "transform Tr is needed to turn camera poses into sensor poses");
        }
        double[] tr = PoseMath.fromRows3x4(KittiTextFiles.calibration(calibFile, "Tr"));
        double[] trInverse = PoseMath.invertRigid(tr);
        List<double[]> cameraPoses = KittiTextFiles.rows(posesFile, 12);
        float[][] poses = new float[frameNumbers.length][];
        for (int i = 0; i < frameNumbers.length; i++) {
            long frame = frameNumbers[i];
            if (frame >= cameraPoses.size()) {
                throw new ScanFormatException(posesFile, "has " + cameraPoses.size() + " poses, but scan "
                        + String.format("%06d", frame) + " needs line " + (frame + 1));
            }
            double[] velodyneToWorld = PoseMath.multiply(PoseMath.fromRows3x4(cameraPoses.get((int) frame)), tr);
            if (worldFrame == WorldFrame.VELODYNE0) {
                velodyneToWorld = PoseMath.multiply(trInverse, velodyneToWorld);
            }
            poses[i] = PoseMath.toFloat(velodyneToWorld);
        }
        return poses;
    }

    private static long[] timestamps(Path timesFile, long[] frameNumbers) throws IOException {
        long[] micros = new long[frameNumbers.length];
        if (!Files.isRegularFile(timesFile)) {
            for (int i = 0; i < frameNumbers.length; i++) {
                micros[i] = frameNumbers[i] * MICROS_PER_FRAME_AT_10_HZ;
            }
            return micros;
        }
        List<double[]> seconds = KittiTextFiles.rows(timesFile, 1);
        for (int i = 0; i < frameNumbers.length; i++) {
            long frame = frameNumbers[i];
            if (frame >= seconds.size()) {
                throw new ScanFormatException(timesFile, "has " + seconds.size() + " times, but scan "
                        + String.format("%06d", frame) + " needs line " + (frame + 1));
            }
            micros[i] = Math.round(seconds.get((int) frame)[0] * 1e6);
        }
        return micros;
    }

    private static ByteBuffer readLittleEndian(Path file) {
        try {
            return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
