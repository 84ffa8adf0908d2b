package io.minkstream.operators.inference;

import java.util.OptionalInt;

/**
 * Creates each subtask's inference: loads the model, opens the backend for the configured device,
 * and picks the window mode.
 */
public final class DefaultInferenceFactory implements InferenceFactory {
    private static final long serialVersionUID = 1L;

    private final ModelSource model;
    private final DeviceSpec device;
    private final WindowMode mode;

    public DefaultInferenceFactory(ModelSource model, DeviceSpec device, WindowMode mode) {
        this.model = model;
        this.device = device;
        this.mode = mode;
    }

    @Override
    public WindowInference create(OptionalInt assignedGpu) {
        return new RecomputeInference(model.load(), device.open(assignedGpu));
    }
}
