package io.minkstream.operators.window;

import java.io.Serializable;

/**
 * The sliding window of one sensor.
 *
 * @param frames      keep the last W frames (by sequence); the window slides by every frame
 * @param spanMicros  when > 0, keep instead every frame no older than this before the newest one
 * @param wholeWindow emit every row of the window instead of only the newest frame's
 */
public record WindowOptions(int frames, long spanMicros, boolean wholeWindow) implements Serializable {

    public WindowOptions {
        if (frames < 1) throw new IllegalArgumentException("window frames must be >= 1, got " + frames);
        if (spanMicros < 0) throw new IllegalArgumentException("window span must be >= 0, got " + spanMicros);
    }

    /** Whether a frame stays in the window whose newest frame is (newestSequence, newestMicros). */
    public boolean keeps(long sequence, long timestampMicros, long newestSequence, long newestMicros) {
        if (sequence > newestSequence) return false;
        return spanMicros > 0 ? newestMicros - timestampMicros <= spanMicros : newestSequence - sequence < frames;
    }
}
