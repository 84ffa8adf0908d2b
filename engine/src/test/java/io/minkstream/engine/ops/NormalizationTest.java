package io.minkstream.engine.ops;

import static io.minkstream.engine.ops.SparseGrids.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Batch norm (inference) and instance norm against their formulas evaluated here in double. */
class NormalizationTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static SparseTensor input(Random rnd, int channels) {
        CoordinateManager m = new CoordinateManager(3, BACKEND.kernelMapBuilder());
        int[] coords = SparseGrids.coordinates(rnd, 3, new int[] {0, 1, 5}, -3, 3, 0.3, fill(3, 1));
        float[] f = SparseGrids.values(rnd, coords.length / 4 * channels);
        for (int i = 0; i < f.length; i++) f[i] = f[i] * 3f + (i % channels); // per-channel offsets, so means matter
        return SparseTensor.of(m, coords, f, channels);
    }

    @Test
    void batchNormUsesRunningStatisticsPerChannelThenTheActivation() {
        Random rnd = new Random(1);
        int c = 9;
        SparseTensor x = input(rnd, c);
        float[] gamma = new float[c], beta = new float[c], mean = new float[c], var = new float[c];
        for (int ch = 0; ch < c; ch++) {
            gamma[ch] = 0.5f + rnd.nextFloat();
            beta[ch] = rnd.nextFloat() - 0.5f;
            mean[ch] = ch + rnd.nextFloat() - 0.5f;
            var[ch] = 0.1f + 3 * rnd.nextFloat();
        }
        float eps = 1e-5f;
        for (Activation act : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.1f)}) {
            SparseTensor y = Normalization.batchNorm(x, gamma, beta, mean, var, eps, act, BACKEND);
            assertThat(y.key()).isEqualTo(x.key());
            int negatives = 0;
            for (int i = 0; i < x.features().length; i++) {
                int ch = i % c;
                double v = (x.features()[i] - (double) mean[ch]) / Math.sqrt(var[ch] + (double) eps) * gamma[ch] + beta[ch];
                if (v < 0) negatives++;
                double ref = switch (act.kind()) {
                    case RELU -> Math.max(0, v);
                    case LEAKY_RELU -> v > 0 ? v : 0.1 * v;
                    default -> v;
                };
                assertThat((double) y.features()[i]).as("%s row %d channel %d", act.kind(), i / c, ch).isCloseTo(ref, within(1e-4 + 1e-4 * Math.abs(ref)));
            }
            assertThat(negatives).as("the activation is exercised on both signs").isPositive();
        }
    }

    @Test
    void batchNormRejectsParametersOfTheWrongLength() {
        SparseTensor x = input(new Random(2), 4);
        float[] ok = {1, 1, 1, 1};
        assertThatThrownBy(() -> Normalization.batchNorm(x, ok, ok, new float[3], ok, 1e-5f, Activation.IDENTITY, BACKEND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("running_mean has 3 values, expected 4");
        assertThatThrownBy(() -> Normalization.batchNorm(x, ok, ok, ok, new float[] {1, 1, -2, 1}, 1e-5f, Activation.IDENTITY, BACKEND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("running_var[2]");
    }

    @Test
    void instanceNormNormalisesEachBatchIndexSeparately() {
        Random rnd = new Random(3);
        int c = 5;
        SparseTensor x = input(rnd, c);
        float[] gamma = {1f, 2f, 0.5f, -1f, 1.5f};
        float[] beta = {0f, 1f, -1f, 0.25f, 3f};
        float eps = 1e-5f;
        SparseTensor y = Normalization.instanceNorm(x, gamma, beta, eps);
        SparseTensor plain = Normalization.instanceNorm(x, null, null, eps);
        int[] batches = {0, 1, 5};
        for (int b : batches) {
            for (int ch = 0; ch < c; ch++) {
                double sum = 0, sq = 0;
                int n = 0;
                for (int r = 0; r < x.size(); r++) {
                    if (x.coordinateMap().coordinate(r, 0) != b) continue;
                    double v = x.features()[r * c + ch];
                    sum += v;
                    n++;
                }
                double mean = sum / n;
                for (int r = 0; r < x.size(); r++) {
                    if (x.coordinateMap().coordinate(r, 0) == b) sq += Math.pow(x.features()[r * c + ch] - mean, 2);
                }
                double sd = Math.sqrt(sq / n + eps);
                double outMean = 0;
                for (int r = 0; r < x.size(); r++) {
                    if (x.coordinateMap().coordinate(r, 0) != b) continue;
                    double z = (x.features()[r * c + ch] - mean) / sd;
                    outMean += plain.features()[r * c + ch];
                    assertThat((double) plain.features()[r * c + ch]).isCloseTo(z, within(1e-4 + 1e-4 * Math.abs(z)));
                    double ref = z * gamma[ch] + beta[ch];
                    assertThat((double) y.features()[r * c + ch]).as("batch %d channel %d", b, ch).isCloseTo(ref, within(1e-4 + 1e-4 * Math.abs(ref)));
                }
                assertThat(outMean / n).as("batch %d channel %d mean after normalisation", b, ch).isCloseTo(0.0, within(1e-5));
            }
        }
    }
}
