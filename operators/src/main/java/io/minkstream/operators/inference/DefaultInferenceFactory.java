package io.minkstream.operators.inference;

import io.minkstream.engine.backend.Backend;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates each subtask's inference: loads the model, opens the backend for the configured device,
 * and picks the window mode.
 */
public final class DefaultInferenceFactory implements InferenceFactory {
    private static final long serialVersionUID = 1L;

    private final ModelSource model;
    private final DeviceSpec device;
    private static final Logger LOG = LoggerFactory.getLogger(DefaultInferenceFactory.class);
    /** Default cache budget per subtask: a few sensors' windows of activations. */
    public static final long DEFAULT_CACHE_BUDGET_BYTES = 256L << 20;

    private final WindowMode mode;
    private final long cacheBudgetBytes;

    public DefaultInferenceFactory(ModelSource model, DeviceSpec device, WindowMode mode, long cacheBudgetBytes) {
        if (cacheBudgetBytes < 0) throw new IllegalArgumentException("cache budget must be >= 0 bytes, got " + cacheBudgetBytes);
        this.model = model;
        this.device = device;
        this.mode = mode;
        this.cacheBudgetBytes = cacheBudgetBytes;
    }

    @Override
    public WindowInference create(OptionalInt assignedGpu) {
        InferenceModel loaded = model.load();
        Backend backend = device.open(assignedGpu);
        if (mode == WindowMode.INCREMENTAL) {
            String reason = IncrementalInference.unsupportedReason(loaded.network());
            if (reason == null) return new IncrementalInference(loaded, backend, cacheBudgetBytes);
            LOG.warn("window mode incremental is not possible for model '{}': {}; recomputing every window", loaded.name(), reason);
        }
        return new RecomputeInference(loaded, backend);
    }
}
