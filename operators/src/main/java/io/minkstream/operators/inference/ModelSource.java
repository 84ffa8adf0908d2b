package io.minkstream.operators.inference;

import io.minkstream.engine.io.SafeTensors;
import io.minkstream.engine.nn.Network;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a model comes from, in a form that travels inside the job graph: the spec JSON and the
 * safetensors bytes are read once on the client, so TaskManagers need no access to the files.
 *
 * @param labelRule null when the model's output carries no label
 */
public record ModelSource(String name, String specJson, byte[] weights, ModelInput input, LabelRule labelRule) implements Serializable {

    /** A user's model: a JSON spec and a safetensors file. Fails fast on unreadable or invalid files. */
    public static ModelSource fromFiles(Path spec, Path weights, ModelInput input, LabelRule labelRule) {
        try {
            ModelSource source = new ModelSource(spec.getFileName().toString(), Files.readString(spec), Files.readAllBytes(weights), input, labelRule);
            source.load();
            return source;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + spec + " / " + weights + ": " + e.getMessage(), e);
        }
    }

    /** Parses and validates the network (done on the client for a fast failure, and on each TaskManager). */
    public InferenceModel load() {
        try {
            Network network = Network.fromJson(specJson, SafeTensors.parse(weights, name + " weights"));
            return new InferenceModel(name, network, input, labelRule);
        } catch (IOException e) {
            throw new UncheckedIOException("model '" + name + "': " + e.getMessage(), e);
        }
    }
}
