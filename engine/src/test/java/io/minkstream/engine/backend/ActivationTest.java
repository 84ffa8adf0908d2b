package io.minkstream.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.ops.Normalization;
import io.minkstream.engine.tensor.SparseTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every activation against values computed outside the engine: closed forms for the simple ones,
 * and for GELU both a table from the C library's erf (Python's {@code math.erf}, e.g.
 * erf(0.5) = 0.5204998778130465) and a Simpson-rule integral of {@code exp(-t^2)} over a sweep
 * that crosses the engine's switch from series to continued fraction.
 */
class ActivationTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);
    private static final float[] XS = {-6f, -3.5f, -2f, -1f, -0.5f, -0.1f, 0f, 0.1f, 0.5f, 1f, 2f, 3.6f, 5f};

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @Test
    void reluLeakyReluAndIdentity() {
        assertThat(Activation.RELU.apply(-2.5f)).isEqualTo(0f);
        assertThat(Activation.RELU.apply(0f)).isEqualTo(0f);
        assertThat(Activation.RELU.apply(1.25f)).isEqualTo(1.25f);
        assertThat(Activation.leakyRelu(0.01f).apply(-2f)).isEqualTo(-0.02f);
        assertThat(Activation.leakyRelu(0.2f).apply(-2.5f)).isEqualTo(-0.5f);
        assertThat(Activation.leakyRelu(0.2f).apply(3f)).isEqualTo(3f);
        assertThat(Activation.IDENTITY.apply(-7.5f)).isEqualTo(-7.5f);
    }

    @Test
    void eluSigmoidAndTanh() {
        assertThat((double) Activation.elu(1f).apply(-1f)).isCloseTo(Math.exp(-1) - 1, within(1e-7));
        assertThat((double) Activation.elu(0.5f).apply(-2f)).isCloseTo(0.5 * (Math.exp(-2) - 1), within(1e-7));
        assertThat(Activation.elu(1f).apply(2f)).isEqualTo(2f);
        assertThat((double) Activation.SIGMOID.apply(0f)).isEqualTo(0.5);
        assertThat((double) Activation.SIGMOID.apply(2f)).isCloseTo(0.8807970779778823, within(1e-7));
        assertThat((double) Activation.SIGMOID.apply(-3f)).isCloseTo(0.04742587317756678, within(1e-8));
        assertThat((double) Activation.TANH.apply(0.5f)).isCloseTo(0.46211715726000974, within(1e-7));
        assertThat((double) Activation.TANH.apply(-2f)).isCloseTo(-0.9640275800758169, within(1e-7));
    }

    @Test
    void geluMatchesTheErfTable() {
        // x, 0.5 * x * (1 + erf(x / sqrt 2)) from Python's math.erf
        double[][] table = {
            {-6.0, -5.919525869479969e-09}, {-3.5, -0.0008142017766243903}, {-3.0, -0.00404969409489031},
            {-2.0, -0.04550026389635842}, {-1.0, -0.15865525393145707}, {-0.5, -0.15426876936299344},
            {-0.1, -0.0460172162722971}, {0.0, 0.0}, {0.1, 0.053982783727702904}, {0.5, 0.34573123063700656},
            {1.0, 0.8413447460685429}, {2.0, 1.9544997361036416}, {3.0, 2.99595030590511},
            {3.6, 3.599427209075433}, {5.0, 4.999998566742141},
        };
        for (double[] row : table) {
            assertThat((double) Activation.GELU.apply((float) row[0])).as("GELU(%s)", row[0]).isCloseTo(row[1], within(1e-7 + 1e-6 * Math.abs(row[1])));
        }
        // x = sqrt(2)/2, so erf(x / sqrt 2) = erf(0.5) = 0.5204998778130465
        float x = (float) (Math.sqrt(2) / 2);
        assertThat((double) Activation.GELU.apply(x)).isCloseTo(0.5 * x * (1 + 0.5204998778130465), within(1e-7));
    }

    @Test
    void geluMatchesANumericalIntegralOfTheGaussian() {
        for (int i = -160; i <= 160; i++) {
            float x = i * 0.05f;
            double ref = 0.5 * x * (1 + simpsonErf(x / Math.sqrt(2)));
            assertThat((double) Activation.GELU.apply(x)).as("GELU(%s)", x).isCloseTo(ref, within(1e-7 + 1e-6 * Math.abs(ref)));
        }
    }

    /** erf(z) = 2/sqrt(pi) * integral_0^z exp(-t^2) dt, by Simpson's rule on 4000 intervals. */
    private static double simpsonErf(double z) {
        int n = 4000;
        double h = z / n;
        double s = 1 + Math.exp(-z * z);
        for (int k = 1; k < n; k++) s += (k % 2 == 1 ? 4 : 2) * Math.exp(-(k * h) * (k * h));
        return 2 / Math.sqrt(Math.PI) * s * h / 3;
    }

    @Test
    void everyActivationAppliesElementwiseThroughTheBackend() {
        CoordinateManager m = new CoordinateManager(1, BACKEND.kernelMapBuilder());
        int[] coords = new int[XS.length * 2];
        for (int r = 0; r < XS.length; r++) coords[2 * r + 1] = r - 4;
        SparseTensor x = SparseTensor.of(m, coords, XS.clone(), 1);
        Activation[] all = {Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.1f), Activation.elu(1.5f), Activation.SIGMOID,
            Activation.TANH, Activation.GELU};
        assertThat(all).extracting(Activation::kind).containsExactlyInAnyOrder(Activation.Kind.values());
        for (Activation a : all) {
            SparseTensor y = Normalization.activate(x, a, BACKEND);
            assertThat(y.key()).isEqualTo(x.key());
            for (int r = 0; r < XS.length; r++) {
                double v = XS[r];
                double ref = switch (a.kind()) {
                    case IDENTITY -> v;
                    case RELU -> Math.max(v, 0);
                    case LEAKY_RELU -> v > 0 ? v : 0.1f * v;
                    case ELU -> v > 0 ? v : 1.5 * (Math.exp(v) - 1);
                    case SIGMOID -> 1 / (1 + Math.exp(-v));
                    case TANH -> Math.tanh(v);
                    case GELU -> 0.5 * v * (1 + simpsonErf(v / Math.sqrt(2)));
                };
                assertThat((double) y.features()[r]).as("%s(%s)", a.kind(), v).isCloseTo(ref, within(1e-6 + 1e-6 * Math.abs(ref)));
            }
        }
    }
}
