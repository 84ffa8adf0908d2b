package io.minkstream.operators.inference;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.tensor.SparseTensor;
import io.minkstream.operators.voxel.VoxelFrame;
import java.util.List;

/**
 * Builds the whole window's tensor and runs the whole network on it for every new frame, in a
 * fresh coordinate manager: what MinkowskiEngine would do. Always valid; the reference for the
 * incremental mode.
 */
public final class RecomputeInference implements WindowInference {
    private final InferenceModel model;
    private final Backend backend;
    private final int lookAhead;

    public RecomputeInference(InferenceModel model, Backend backend) {
        this.model = model;
        this.backend = backend;
        this.lookAhead = IncrementalInference.lookAhead(model.network());
    }

    @Override
    public int lookAhead() {
        return lookAhead;
    }

    @Override
    public WindowResult run(String sensorId, List<VoxelFrame> frames, long baseSequence, boolean wholeWindow) {
        CoordinateManager manager = new CoordinateManager(4, backend.kernelMapBuilder());
        SparseTensor x = WindowTensor.build(frames, baseSequence, model.input(), manager);
        long start = System.nanoTime();
        SparseTensor y = model.network().forward(x, backend);
        long nanos = System.nanoTime() - start;
        int target = WindowTensor.timeOf(frames.get(frames.size() - 1), baseSequence) - lookAhead;
        VoxelFrame targetFrame = null;
        for (VoxelFrame f : frames) if (WindowTensor.timeOf(f, baseSequence) == target) targetFrame = f;
        if (targetFrame == null) return null;
        // With look-ahead, frames after the target are in the tensor only as its future context.
        return WindowResults.select(y, wholeWindow ? Integer.MIN_VALUE : target, target, model.labelRule(), x.coordinateMap(), truthOf(frames), nanos)
                .forSequence(targetFrame.sequence()).withTimes(nanos, manager.kernelMapNanos());
    }

    /** Ground truth per input row of the window tensor, or null when any frame lacks it. */
    static int[] truthOf(List<VoxelFrame> frames) {
        int rows = 0;
        for (VoxelFrame f : frames) {
            if (f.truth() == null) return null;
            rows += f.voxels();
        }
        int[] truth = new int[rows];
        int at = 0;
        for (VoxelFrame f : frames) {
            System.arraycopy(f.truth(), 0, truth, at, f.voxels());
            at += f.voxels();
        }
        return truth;
    }

    @Override
    public void forget(String sensorId) {
    }

    /** Closes the backend, which this inference owns. */
    @Override
    public void close() {
        backend.close();
    }

}
