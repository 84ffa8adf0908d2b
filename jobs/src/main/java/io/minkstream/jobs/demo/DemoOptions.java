package io.minkstream.jobs.demo;

import io.minkstream.operators.inference.DeviceSpec;
import io.minkstream.operators.inference.WindowMode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the demo runs.
 *
 * @param frames      frames per sensor from the simulator; with a replay, at most this many of the recording's first frames
 * @param sensors     simulated sensors
 * @param rate        frames per second per sensor, or {@link Rate#MAX}
 * @param injectBad   malformed records mixed into the stream
 * @param seed        scene seed (and of the malformed records)
 * @param replay      a KITTI / PCD folder to replay instead of the simulator, or null
 * @param replayFormat the folder's layout
 * @param replaySensorId sensor id of the replayed frames
 * @param pngDir      where the pictures go, or null for a new temporary folder
 * @param windowMode  the job's window mode, or null for the job's default
 * @param device      compute device of the job
 * @param webUiPort   Flink web UI port; when taken, a free one is used instead
 * @param timeout     give up after this long, or null for a limit proportional to the frames
 * @param terminal    draw a progress bar (a person is watching) instead of a line per 10%
 */
public record DemoOptions(int frames, int sensors, Rate rate, int injectBad, long seed, Path replay,
                          RecordedFeed.Format replayFormat, String replaySensorId, Path pngDir, WindowMode windowMode,
                          DeviceSpec device, int webUiPort, Duration timeout, boolean terminal) {

    public static final int DEFAULT_FRAMES = 300;
    public static final int DEFAULT_SENSORS = 2;
    public static final int DEFAULT_WEB_UI_PORT = 8081;

    public DemoOptions {
        if (frames < 1) throw new IllegalArgumentException("frames must be >= 1, got " + frames);
        if (sensors < 1) throw new IllegalArgumentException("sensors must be >= 1, got " + sensors);
        if (injectBad < 0) throw new IllegalArgumentException("bad frames must be >= 0, got " + injectBad);
        if (webUiPort < 0 || webUiPort > 65535) throw new IllegalArgumentException("web UI port must be 0..65535, got " + webUiPort);
    }
}
