package io.minkstream.jobs.demo;

import io.minkstream.jobs.sensor.KittiSequence;
import io.minkstream.jobs.sensor.PcdSequence;
import io.minkstream.jobs.sensor.RecordedScanSource;
import io.minkstream.jobs.sensor.ScanFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A recording replayed in order, one frame per tick. Timestamps keep the recording's spacing and are
 * moved onto this run's wall clock: frame i is stamped {@code now + (t_i - t_0) - lag}, where the lag is
 * just large enough that no frame is stamped later than the moment it is due at the replay rate (all
 * of the recording's span at {@code max}). The lag is computed from the first and last frames, so a
 * recording is read only once.
 *
 * <p>KITTI poses ({@code P_i . Tr}) are expressed in the first scan's Velodyne frame
 * ({@code inv(Tr) . P_i . Tr}, {@link KittiSequence.WorldFrame#VELODYNE0}): x forward, y left, z up, like
 * the simulator, so the job's z crop and the bird's-eye view mean the same for both.
 */
public final class RecordedFeed implements FrameFeed {

    /** The layouts {@link #open} understands. */
    public enum Format { AUTO, KITTI, PCD }

    private final RecordedScanSource source;
    private final Path folder;
    private final int frames;
    private final long shiftMicros;

    private RecordedFeed(RecordedScanSource source, Path folder, int frames, long shiftMicros) {
        this.source = source;
        this.folder = folder;
        this.frames = frames;
        this.shiftMicros = shiftMicros;
    }

    /**
     * Opens {@code folder} as a KITTI / SemanticKITTI sequence ({@code velodyne/*.bin}) or a folder of
     * {@code .pcd} files; {@link Format#AUTO} tells them apart by the {@code velodyne/} folder.
     */
    public static RecordedFeed open(Path folder, Format format, String sensorId, Rate rate, long nowMicros) throws IOException {
        return open(folder, format, sensorId, rate, nowMicros, Integer.MAX_VALUE);
    }

    /** As {@link #open(Path, Format, String, Rate, long)}, replaying at most the first {@code maxFrames} frames. */
    public static RecordedFeed open(Path folder, Format format, String sensorId, Rate rate, long nowMicros, int maxFrames) throws IOException {
        if (maxFrames < 1) throw new IllegalArgumentException("frames must be >= 1, got " + maxFrames);
        Format f = format == Format.AUTO ? detect(folder) : format;
        double pcdHz = rate.isMax() ? SimulatedFeed.DEFAULT_SCAN_HZ : rate.hz();
        // World = the first scan's Velodyne frame: z up, as the simulator's and the job's default crop box assume.
        RecordedScanSource source = f == Format.KITTI ? KittiSequence.open(folder, sensorId, KittiSequence.WorldFrame.VELODYNE0)
                : PcdSequence.open(folder, sensorId, pcdHz);
        if (source.size() == 0) throw new IOException(folder + " holds no scans");
        int frames = Math.min(maxFrames, source.size());
        long first = source.frame(0).timestampMicros();
        long span = frames == 1 ? 0 : source.frame(frames - 1).timestampMicros() - first;
        long paced = Math.round(rate.dueNanos(frames - 1) / 1000.0);
        long lag = Math.max(0, span - paced);
        return new RecordedFeed(source, folder, frames, nowMicros - first - lag);
    }

    /** KITTI when the folder has {@code velodyne/}, PCD when it holds {@code .pcd} files. */
    public static Format detect(Path folder) throws IOException {
        if (Files.isDirectory(folder.resolve("velodyne"))) return Format.KITTI;
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                if (files.anyMatch(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pcd"))) return Format.PCD;
            }
        }
        throw new IOException(folder + " is neither a KITTI sequence (no velodyne/ folder) nor a folder of .pcd files");
    }

    public RecordedScanSource source() {
        return source;
    }

    /** Whether the recording carries ground-truth labels (checked on its first frame). */
    public boolean hasLabels() {
        return source.frame(0).labels() != null;
    }

    @Override
    public int ticks() {
        return frames;
    }

    @Override
    public long frames() {
        return frames;
    }

    @Override
    public List<ScanFrame> tick(int k) {
        ScanFrame f = source.frame(k);
        return List.of(f.withTimestampMicros(f.timestampMicros() + shiftMicros));
    }

    @Override
    public String describe() {
        return source.getClass().getSimpleName() + " " + folder + ", sensor " + source.sensorId() + ", "
                + (frames < source.size() ? "the first " + frames + " of " + source.size() : frames) + " frames";
    }
}
