package io.minkstream.operators.inference;

import java.io.Serializable;
import java.util.OptionalInt;

/**
 * Creates a subtask's {@link WindowInference} when the operator opens: on the TaskManager, with
 * the GPU Flink assigned to it (if any). Serializable so it travels in the job graph.
 */
@FunctionalInterface
public interface InferenceFactory extends Serializable {

    WindowInference create(OptionalInt assignedGpu);
}
