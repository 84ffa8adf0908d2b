package io.minkstream.jobs.sensor;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A recording of one sensor's scans on disk, read frame by frame: a known number of frames, random
 * access by position, and iteration in recording order. Frames are read when asked for, so a long
 * recording never sits in memory.
 *
 * <p>Reading a frame throws {@link ScanFormatException} when a file is malformed and
 * {@link java.io.UncheckedIOException} when it cannot be read; both name the file.
 */
public interface RecordedScanSource extends Iterable<ScanFrame> {

    /** The sensor id every frame carries. */
    String sensorId();

    /** Number of frames in the recording. */
    int size();

    /** The frame at position {@code index} (0 to size() - 1) in recording order. */
    ScanFrame frame(int index);

    /** Frames in recording order, each read from disk when {@link Iterator#next} is called. */
    @Override
    default Iterator<ScanFrame> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public ScanFrame next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("all " + size() + " frames of " + sensorId() + " were read");
                }
                return frame(next++);
            }
        };
    }
}
