package io.minkstream.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.CoordinateMap;
import io.minkstream.engine.io.Npy;
import io.minkstream.engine.io.SafeTensors;
import io.minkstream.engine.tensor.SparseTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MinkowskiEngine's network fixture {@code h_tiny_net_D4} written as a JSON spec
 * ({@code nn/h_tiny_net_D4.json}) plus a safetensors file built from the fixture's .npy weights,
 * loaded through {@link Network#load} and compared with ME's output by coordinate.
 */
class MinkowskiNetworkFixtureTest {
    private static final double ABS = 1e-4;
    private static final double REL = 1e-4;

    private static Path fixture() {
        return Path.of(System.getProperty("shared.dir", "../shared")).resolve("oracle/minkowski/h_tiny_net_D4");
    }

    private static Npy.Array npy(String file) throws IOException {
        return Npy.read(fixture().resolve(file));
    }

    private static void put(SafeTensors.Writer w, String tensor, String file) throws IOException {
        Npy.Array a = npy(file);
        w.putFloats(tensor, a.floats(), a.shape());
    }

    @Test
    void specPlusSafetensorsReproducesMinkowskiEngineOutput(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(fixture()),
                "MinkowskiEngine fixture " + fixture() + " is absent (set -Dshared.dir to the shared folder); skipping");
        SafeTensors.Writer w = SafeTensors.writer().metadata("source", "MinkowskiEngine 0.5.4 fixture h_tiny_net_D4");
        put(w, "conv1.kernel", "conv1_kernel.npy");
        put(w, "bn.weight", "bn_weight.npy");
        put(w, "bn.bias", "bn_bias.npy");
        put(w, "bn.running_mean", "bn_running_mean.npy");
        put(w, "bn.running_var", "bn_running_var.npy");
        put(w, "conv2.kernel", "conv2_kernel.npy");
        put(w, "convtr.kernel", "convtr_kernel.npy");
        Path weights = dir.resolve("h_tiny_net_D4.safetensors");
        w.write(weights);
        Path spec = dir.resolve("h_tiny_net_D4.json");
        try (InputStream in = getClass().getResourceAsStream("/nn/h_tiny_net_D4.json")) {
            Files.write(spec, in.readAllBytes());
        }

        Network net = Network.load(spec, weights);
        assertThat(net.layers()).extracting(Network.Node::name).containsExactly("conv1", "relu1", "conv2", "relu2", "convtr");
        assertThat(net.node("relu1").specs()).extracting(LayerSpec::name).containsExactly("bn", "relu1");
        assertThat(net.node("conv1").region().volume()).isEqualTo(81);
        assertThat(net.node("convtr").region().volume()).isEqualTo(16);

        try (CpuBackend backend = new CpuBackend(2)) {
            Npy.Array inFeats = npy("in_feats.npy");
            SparseTensor x = SparseTensor.of(new CoordinateManager(4, backend.kernelMapBuilder()), npy("in_coords.npy").ints(), inFeats.floats(), inFeats.shape()[1]);
            SparseTensor y = net.forward(x, backend);
            assertMatchesByCoordinate(y, npy("out_coords.npy").ints(), npy("out_feats.npy").floats());
            assertThat(y.tensorStride()).containsExactly(1, 1, 1, 1);
        }
    }

    private static void assertMatchesByCoordinate(SparseTensor y, int[] refCoords, float[] refFeats) {
        int w = y.dimension() + 1;
        int rows = refCoords.length / w;
        int c = y.channels();
        assertThat(rows).isEqualTo(2141);
        assertThat(y.size()).isEqualTo(rows);
        assertThat(c).isEqualTo(8);
        assertThat(refFeats).hasSize(rows * c);
        CoordinateMap ours = y.coordinateMap();
        int bad = 0;
        double worst = 0;
        StringBuilder first = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            int o = ours.find(refCoords, r * w);
            assertThat(o).as("ME coordinate %s present", Arrays.toString(Arrays.copyOfRange(refCoords, r * w, r * w + w))).isNotNegative();
            for (int ch = 0; ch < c; ch++) {
                double ref = refFeats[r * c + ch];
                double err = Math.abs(y.features()[o * c + ch] - ref);
                worst = Math.max(worst, err);
                if (!(err <= ABS + REL * Math.abs(ref)) && bad++ < 5) {
                    first.append(String.format("%n  %s ch %d: ours %.7g, ME %.7g", Arrays.toString(Arrays.copyOfRange(refCoords, r * w, r * w + w)), ch,
                            y.features()[o * c + ch], ref));
                }
            }
        }
        assertThat(bad).as("values outside |err| <= 1e-4 + 1e-4 |ME| (worst %.3g)%s", worst, first).isZero();
        assertThat(NetworkTest.maxAbs(refFeats)).as("the reference is not trivially zero").isGreaterThan(0.01f);
    }
}
