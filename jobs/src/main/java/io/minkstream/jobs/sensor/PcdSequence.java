package io.minkstream.jobs.sensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A folder of .pcd files, one scan per file, replayed in file-name order (see {@link PcdFile} for what
 * is read). Frame k of the sorted list gets sequence k and timestamp k * 1e6 / rateHz microseconds from
 * the recording's start; rebase with {@link ScanFrame#withTimestampMicros}. The feature is the
 * intensity field (1 channel), or nothing (0 channels) in a file without one. The pose is the header's
 * VIEWPOINT, or null without one.
 */
public final class PcdSequence implements RecordedScanSource {

    private final String sensorId;
    private final Path[] files;
    private final double rateHz;

    private PcdSequence(String sensorId, Path[] files, double rateHz) {
        this.sensorId = sensorId;
        this.files = files;
        this.rateHz = rateHz;
    }

    /** Opens {@code folder} as a 10 Hz recording. */
    public static PcdSequence open(Path folder, String sensorId) throws IOException {
        return open(folder, sensorId, 10);
    }

    public static PcdSequence open(Path folder, String sensorId, double rateHz) throws IOException {
        Objects.requireNonNull(sensorId, "sensorId");
        if (!(rateHz > 0 && Double.isFinite(rateHz))) {
            throw new IllegalArgumentException("rateHz must be positive, was " + rateHz);
        }
        if (!Files.isDirectory(folder)) {
            throw new ScanFormatException(folder, "is not a folder");
        }
        Path[] files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".pcd") && Files.isRegularFile(f))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toArray(Path[]::new);
        }
        if (files.length == 0) {
            throw new ScanFormatException(folder, "holds no .pcd files");
        }
        return new PcdSequence(sensorId, files, rateHz);
    }

    @Override
    public String sensorId() {
        return sensorId;
    }

    @Override
    public int size() {
        return files.length;
    }

    /** The file behind the frame at {@code index}. */
    public Path file(int index) {
        return files[index];
    }

    @Override
    public ScanFrame frame(int index) {
        Objects.checkIndex(index, files.length);
        PcdFile cloud = PcdFile.read(files[index]);
        boolean hasIntensity = cloud.intensity != null;
        return new ScanFrame(sensorId, index, Math.round(index * 1e6 / rateHz), cloud.positions,
                hasIntensity ? cloud.intensity : new float[0], hasIntensity ? 1 : 0, cloud.viewpointPose, null);
    }
}
