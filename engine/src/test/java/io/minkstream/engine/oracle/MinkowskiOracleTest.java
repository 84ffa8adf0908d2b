package io.minkstream.engine.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.nn.Layer;
import io.minkstream.engine.ops.Convolution;
import io.minkstream.engine.tensor.SparseTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every MinkowskiEngine fixture folder in {@code oracle.dir} (default: the shared oracle
 * folder beside the project) through the engine and compares coordinates (as sets), features
 * (matched by coordinate) and, where stored, kernel maps. Run one folder with
 * {@code mvn -pl engine -am test -Dtest=MinkowskiOracleTest -Doracle.dir=DIR -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class MinkowskiOracleTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);
    private static final Pattern COLUMN_SLICE = Pattern.compile("(\\w+)\\[:,\\s*:(\\d+)\\]");

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCase() throws IOException {
        Path root = OracleCase.defaultDirectory();
        assertThat(root).as("oracle fixture folder (set -Doracle.dir)").isDirectory();
        List<Path> cases;
        try (Stream<Path> s = Files.list(root)) {
            cases = s.filter(p -> Files.exists(p.resolve("case.json"))).sorted().toList();
        }
        assertThat(cases).as("case folders in " + root).isNotEmpty();
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> run(OracleCase.load(dir))));
    }

    private void run(OracleCase c) {
        JsonNode j = c.json();
        if (c.op().equals("network")) {
            network(c);
        } else if (j.has("outputs")) {
            for (JsonNode out : j.get("outputs")) multiOutput(c, out);
        } else if (j.has("output_summary")) {
            summarised(c);
        } else {
            singleOp(c);
        }
    }

    private SparseTensor input(OracleCase c, CoordinateManager m, float[] feats, int channels) {
        int[] ts = OracleCase.axes(c.json(), "in_tensor_stride", c.dimension(), 1);
        return SparseTensor.of(m, c.ints("in_coords.npy"), ts, feats, channels);
    }

    private static String singleOpName(OracleCase c) {
        String op = c.op();
        if (c.json().path("region_type").asText("").startsWith("HYBRID")) return "MinkowskiConvolution";
        return op;
    }

    private void singleOp(OracleCase c) {
        JsonNode j = c.json();
        CoordinateManager m = new CoordinateManager(c.dimension(), BACKEND.kernelMapBuilder());
        int cIn = j.get("in_channels").asInt();
        SparseTensor x = input(c, m, c.floats("in_feats.npy"), cIn);
        if (c.has("target_coords.npy")) {
            // The finer map an earlier layer left in the same manager (case c): register it first.
            m.insert(c.ints("target_coords.npy"), OracleCase.axes(j, "out_tensor_stride", c.dimension(), 1));
        }
        String bias = j.path("bias").asBoolean(false) ? "bias.npy" : null;
        Layer layer = OracleLayers.of(singleOpName(c), j, c, "kernel.npy", bias, "kernel_offsets.npy", x.tensorStride());
        SparseTensor y = layer.forward(x, BACKEND);
        OracleAssert.sameTensor(c + " output", y, c.ints("out_coords.npy"), c.floats("out_feats.npy"));
        if (c.has("kernel_map.npy")) {
            KernelMap map = lastKernelMap(c, m, x, y, j);
            OracleAssert.sameKernelMap(c + " kernel map", map, y, c.ints("out_coords.npy"), c.ints("kernel_map.npy"));
        }
    }

    /** The kernel map the layer just used, fetched from the manager's cache (a hit, not a rebuild). */
    private KernelMap lastKernelMap(OracleCase c, CoordinateManager m, SparseTensor x, SparseTensor y, JsonNode j) {
        long misses = m.kernelMapMisses();
        boolean transposed = singleOpName(c).contains("Transpose");
        int[] anchor = transposed ? y.tensorStride() : x.tensorStride();
        KernelRegion region = OracleLayers.region(j, c, "kernel_offsets.npy", anchor);
        KernelMap map = m.kernelMap(x.key(), y.key(), region, transposed);
        assertThat(m.kernelMapMisses()).as("kernel map served from the coordinate manager's cache").isEqualTo(misses);
        return map;
    }

    private void multiOutput(OracleCase c, JsonNode out) {
        CoordinateManager m = new CoordinateManager(c.dimension(), BACKEND.kernelMapBuilder());
        SparseTensor x = input(c, m, c.floats("in_feats.npy"), c.json().get("in_channels").asInt());
        Layer layer = OracleLayers.of(out.get("op").asText(), out, c, null, null, null, x.tensorStride());
        SparseTensor y = layer.forward(x, BACKEND);
        OracleAssert.sameTensor(c + " " + out.get("op").asText() + " " + out.path("kernel_size") + "/" + out.path("stride"),
                y, c.ints(out.get("coords").asText()), c.floats(out.get("feats").asText()));
    }

    private void network(OracleCase c) {
        CoordinateManager m = new CoordinateManager(c.dimension(), BACKEND.kernelMapBuilder());
        JsonNode layers = c.json().get("layers");
        int cIn = layers.get(0).has("in_channels") ? layers.get(0).get("in_channels").asInt() : c.array("in_feats.npy").shape()[1];
        SparseTensor x = input(c, m, c.floats("in_feats.npy"), cIn);
        int[] coords = c.ints("in_coords.npy");
        int checked = 0;
        for (JsonNode l : layers) {
            String op = l.get("op").asText();
            Layer layer = OracleLayers.of(op, l, c, l.path("kernel").asText(null), l.path("bias_file").asText(null),
                    l.path("kernel_offsets").asText(null), x.tensorStride());
            x = layer.forward(x, BACKEND);
            if (l.has("out_coords")) coords = c.ints(l.get("out_coords").asText());
            if (l.has("output")) {
                OracleAssert.sameTensor(c + " layer " + l.get("name").asText(), x, coords, c.floats(l.get("output").asText()));
                checked++;
            } else if (l.has("out_coords")) {
                OracleAssert.sameCoordinates(c + " layer " + l.get("name").asText(), x, coords);
            }
        }
        assertThat(checked).as(c + ": layers with stored outputs").isPositive();
    }

    /** Case i: only inputs, weights and a summary (channel sums, sampled rows, pair counts) are stored. */
    private void summarised(OracleCase c) {
        JsonNode summaries = c.json().get("output_summary");
        int[] pairCounts = c.has("kernel_map_pair_counts.npy") ? c.ints("kernel_map_pair_counts.npy") : null;
        List<String> names = new ArrayList<>();
        summaries.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode s = summaries.get(name);
            Matcher slice = COLUMN_SLICE.matcher(s.get("input_feats").asText());
            if (!slice.matches()) throw new IllegalArgumentException(c + ": cannot interpret input_feats '" + s.get("input_feats").asText() + "'");
            io.minkstream.engine.io.Npy.Array all = c.array(slice.group(1) + ".npy");
            int cIn = Integer.parseInt(slice.group(2));
            float[] feats = OracleAssert.columns(all.floats(), all.shape()[1], cIn);
            CoordinateManager m = new CoordinateManager(c.dimension(), BACKEND.kernelMapBuilder());
            SparseTensor x = input(c, m, feats, cIn);
            KernelRegion region = OracleLayers.region(c.json(), c, "kernel_offsets.npy", x.tensorStride());
            int cOut = s.get("out_channels").asInt();
            SparseTensor y = Convolution.convolution(x, c.floats(s.get("kernel_file").asText()), cOut, null, region,
                    OracleCase.axes(c.json(), "stride", c.dimension(), 1), BACKEND);
            assertThat(y.size()).as(c + " " + name + " n_out").isEqualTo(s.get("n_out").asInt());
            if (pairCounts != null) {
                KernelMap map = m.kernelMap(x.key(), y.key(), region, false);
                for (int k = 0; k < pairCounts.length; k++) {
                    assertThat(map.pairCount(k)).as(c + " pairs of offset " + k).isEqualTo(pairCounts[k]);
                }
            }
            OracleAssert.channelSums(c + " " + name, y, s.get("float64_reference_channel_sums"), s.get("out_channel_abs_sums"));
            for (JsonNode row : s.get("sampled_rows")) OracleAssert.sampledRow(c + " " + name, y, row);
        }
    }

}
