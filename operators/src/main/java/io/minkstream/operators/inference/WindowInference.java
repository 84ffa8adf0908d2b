package io.minkstream.operators.inference;

import io.minkstream.operators.voxel.VoxelFrame;
import java.util.List;

/**
 * Runs the network on one sensor's window. Implementations may keep per-sensor caches between
 * calls (kernel maps, activations); {@link #forget} drops a sensor's caches.
 */
public interface WindowInference extends AutoCloseable {

    /**
     * The result of the frame that became final with the window's newest frame: the newest itself
     * for a causal network, the one {@link #lookAhead()} frames earlier otherwise; null when that
     * frame is missing from the window.
     *
     * @param sensorId     the window's sensor (the cache key)
     * @param frames       the window's frames, ascending sequence, the newest last
     * @param baseSequence sequence that maps to time coordinate 0
     * @param wholeWindow  emit every row of the window instead of only the newest frame's
     */
    WindowResult run(String sensorId, List<VoxelFrame> frames, long baseSequence, boolean wholeWindow);

    /** Frames a result waits for: the network's largest look-ahead in time along any path. */
    int lookAhead();

    void forget(String sensorId);

    @Override
    void close();
}
