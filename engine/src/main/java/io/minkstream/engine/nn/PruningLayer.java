package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.ops.Pruning;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.List;

/**
 * {@code MinkowskiPruning} driven by another tensor on the same coordinates: inputs
 * {@code [x, mask]}; keeps the rows of x whose {@code mask[row][channel]} is greater than
 * {@code threshold} (e.g. an occupancy logit above 0).
 */
public record PruningLayer(int channel, float threshold) implements MergeLayer {

    @Override
    public SparseTensor forward(List<SparseTensor> inputs, Backend backend) {
        if (inputs.size() != 2) throw new IllegalArgumentException("prune takes [tensor, mask], got " + inputs.size() + " inputs");
        SparseTensor x = inputs.get(0);
        SparseTensor mask = inputs.get(1);
        if (mask.manager() != x.manager() || !mask.key().equals(x.key())) {
            throw new IllegalArgumentException("prune mask " + mask + " is not on the coordinates of its input " + x);
        }
        if (channel >= mask.channels()) throw new IllegalArgumentException("prune channel " + channel + " is out of range for a mask of " + mask.channels() + " channels");
        int c = mask.channels();
        float[] m = mask.features();
        boolean[] keep = new boolean[x.size()];
        for (int r = 0; r < keep.length; r++) keep[r] = m[r * c + channel] > threshold;
        return Pruning.prune(x, keep);
    }
}
