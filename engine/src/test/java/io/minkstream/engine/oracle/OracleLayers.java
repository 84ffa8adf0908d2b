package io.minkstream.engine.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.nn.ActivationLayer;
import io.minkstream.engine.nn.ConvolutionLayer;
import io.minkstream.engine.nn.Layer;
import io.minkstream.engine.nn.LinearLayer;
import io.minkstream.engine.nn.NormalizationLayer;
import io.minkstream.engine.nn.PoolingLayer;

/**
 * Turns a fixture's op description (a single-op case, an {@code outputs} entry or a {@code layers}
 * entry, all named by MinkowskiEngine class) into one of our layers. An op it does not know fails.
 */
final class OracleLayers {
    private OracleLayers() {
    }

    /**
     * @param node    the op's JSON (its parameters)
     * @param fixture the case, for weight files
     * @param kernelFile weights file name, or null
     * @param biasFile bias file name, or null
     * @param offsetsFile a {@code kernel_offsets.npy} to use where the region is not a plain cube/cross
     * @param inStride the input tensor stride (to turn stored offsets back into unit steps)
     */
    static Layer of(String op, JsonNode node, OracleCase fixture, String kernelFile, String biasFile, String offsetsFile, int[] inStride) {
        int d = fixture.dimension();
        return switch (op) {
            case "MinkowskiConvolution", "MinkowskiConvolutionTranspose", "MinkowskiGenerativeConvolutionTranspose",
                 "MinkowskiChannelwiseConvolution" -> convolution(op, node, fixture, kernelFile, biasFile, offsetsFile, inStride);
            case "MinkowskiLinear" -> new LinearLayer(node.get("in_channels").asInt(), node.get("out_channels").asInt(),
                    fixture.floats(kernelFile), biasFile == null ? null : fixture.floats(biasFile));
            case "MinkowskiBatchNorm" -> NormalizationLayer.batchNorm(fixture.floats(node.get("weight_file").asText()),
                    fixture.floats(node.get("bias_file").asText()), fixture.floats(node.get("running_mean_file").asText()),
                    fixture.floats(node.get("running_var_file").asText()), (float) node.path("eps").asDouble(1e-5), Activation.IDENTITY);
            case "MinkowskiInstanceNorm" -> NormalizationLayer.instanceNorm(
                    node.has("weight_file") ? fixture.floats(node.get("weight_file").asText()) : null,
                    node.has("bias_file") ? fixture.floats(node.get("bias_file").asText()) : null, (float) node.path("eps").asDouble(1e-5));
            case "MinkowskiReLU" -> new ActivationLayer(Activation.RELU);
            case "MinkowskiLeakyReLU" -> new ActivationLayer(Activation.leakyRelu((float) node.path("negative_slope").asDouble(0.01)));
            case "MinkowskiELU" -> new ActivationLayer(Activation.elu((float) node.path("alpha").asDouble(1.0)));
            case "MinkowskiSigmoid" -> new ActivationLayer(Activation.SIGMOID);
            case "MinkowskiTanh" -> new ActivationLayer(Activation.TANH);
            case "MinkowskiGELU" -> new ActivationLayer(Activation.GELU);
            case "MinkowskiMaxPooling", "MinkowskiAvgPooling", "MinkowskiSumPooling" -> PoolingLayer.local(poolMode(op),
                    OracleCase.axes(node, "kernel_size", d, 1), OracleCase.axes(node, "stride", d, 1), OracleCase.axes(node, "dilation", d, 1));
            case "MinkowskiGlobalMaxPooling", "MinkowskiGlobalAvgPooling", "MinkowskiGlobalSumPooling", "MinkowskiGlobalPooling" ->
                    PoolingLayer.global(op.equals("MinkowskiGlobalPooling") ? PoolMode.AVG : poolMode(op.replace("Global", "")));
            case "MinkowskiPoolingTranspose" -> PoolingLayer.transpose(OracleCase.axes(node, "kernel_size", d, 1), OracleCase.axes(node, "stride", d, 1));
            default -> throw new IllegalArgumentException("fixture " + fixture + " uses op '" + op + "', which this test cannot interpret");
        };
    }

    private static PoolMode poolMode(String op) {
        return switch (op) {
            case "MinkowskiMaxPooling" -> PoolMode.MAX;
            case "MinkowskiAvgPooling" -> PoolMode.AVG;
            case "MinkowskiSumPooling" -> PoolMode.SUM;
            default -> throw new IllegalArgumentException("not a pooling op: " + op);
        };
    }

    private static Layer convolution(String op, JsonNode node, OracleCase fixture, String kernelFile, String biasFile, String offsetsFile, int[] inStride) {
        int d = fixture.dimension();
        int[] stride = OracleCase.axes(node, "stride", d, 1);
        ConvolutionLayer.Kind kind = switch (op) {
            case "MinkowskiConvolutionTranspose" -> ConvolutionLayer.Kind.TRANSPOSED;
            case "MinkowskiGenerativeConvolutionTranspose" -> ConvolutionLayer.Kind.GENERATIVE_TRANSPOSED;
            case "MinkowskiChannelwiseConvolution" -> ConvolutionLayer.Kind.CHANNELWISE;
            default -> ConvolutionLayer.Kind.CONVOLUTION;
        };
        boolean transposed = kind == ConvolutionLayer.Kind.TRANSPOSED || kind == ConvolutionLayer.Kind.GENERATIVE_TRANSPOSED;
        int[] anchor = transposed ? divide(inStride, stride) : inStride;
        KernelRegion region = region(node, fixture, offsetsFile, anchor);
        float[] kernel = fixture.floats(kernelFile);
        int cIn = node.has("in_channels") ? node.get("in_channels").asInt() : node.get("channels").asInt();
        int cOut = kind == ConvolutionLayer.Kind.CHANNELWISE ? cIn : node.get("out_channels").asInt();
        float[] bias = biasFile == null ? null : fixture.floats(biasFile);
        return new ConvolutionLayer(kind, region, stride, cIn, cOut, kernel, bias);
    }

    /**
     * The region from kernel_size / dilation / region_type; where the region type is neither cube
     * nor cross, the stored offsets as a custom region (in unit steps of the anchoring stride).
     * Where both exist, the stored offsets must equal ours: that checks the offset order.
     */
    static KernelRegion region(JsonNode node, OracleCase fixture, String offsetsFile, int[] anchor) {
        int d = fixture.dimension();
        String type = node.path("region_type").asText("HYPER_CUBE");
        int[] stored = offsetsFile != null && fixture.has(offsetsFile) ? fixture.ints(offsetsFile) : null;
        KernelRegion region;
        if (type.equals("HYPER_CUBE") || type.equals("HYPER_CROSS")) {
            int[] size = OracleCase.axes(node, "kernel_size", d, 1);
            int[] dilation = OracleCase.axes(node, "dilation", d, 1);
            region = type.equals("HYPER_CUBE") ? KernelRegion.hyperCube(size, dilation) : KernelRegion.hyperCross(size, dilation);
            if (stored != null && !java.util.Arrays.equals(stored, region.offsets(anchor))) {
                throw new AssertionError(fixture + ": our " + region + " offsets differ from kernel_offsets.npy");
            }
        } else {
            if (stored == null) throw new IllegalArgumentException(fixture + ": region '" + type + "' without kernel_offsets.npy cannot be interpreted");
            int k = stored.length / d;
            int[][] steps = new int[k][d];
            for (int i = 0; i < k; i++) {
                for (int a = 0; a < d; a++) steps[i][a] = stored[i * d + a] / anchor[a];
            }
            region = KernelRegion.custom(steps);
        }
        return region;
    }

    private static int[] divide(int[] a, int[] b) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] / b[i];
        return r;
    }
}
