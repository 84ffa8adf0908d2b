package io.minkstream.jobs.demo;

import io.minkstream.jobs.sensor.ScanFrame;
import java.util.List;

/**
 * Frames to publish, tick by tick: tick k holds the frames due at the same moment (one per sensor),
 * in the order they are sent. Timestamps are already on the wall clock of this run, never later than
 * the moment their tick is due at the feed's rate, so the job's future-timestamp check passes.
 */
public interface FrameFeed {

    /** Number of ticks. */
    int ticks();

    /** Number of frames in all ticks. */
    long frames();

    /** The frames of tick {@code k} (0 to ticks() - 1), made or read when asked for. */
    List<ScanFrame> tick(int k);

    /** One line saying what is published, for the user. */
    String describe();
}
