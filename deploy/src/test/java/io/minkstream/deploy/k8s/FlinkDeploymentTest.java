package io.minkstream.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.minkstream.deploy.local.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The FlinkDeployments parse and carry what the Flink Kubernetes Operator and the job need. */
class FlinkDeploymentTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @ValueSource(strings = {"flinkdeployment-gpu.yaml", "flinkdeployment-cpu.yaml"})
    void hasWhatTheOperatorRequires(String file) throws IOException {
        JsonNode d = read(file);
        assertThat(d.get("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(d.get("kind").asText()).isEqualTo("FlinkDeployment");
        assertThat(d.at("/metadata/name").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        JsonNode spec = d.get("spec");
        assertThat(spec.get("image").asText()).isNotBlank();
        assertThat(spec.get("flinkVersion").asText()).isEqualTo("v2_2");
        for (String role : List.of("jobManager", "taskManager")) {
            assertThat(spec.at("/" + role + "/resource/memory").asText()).as(role).matches("\\d+[mg]");
            assertThat(spec.at("/" + role + "/resource/cpu").asDouble()).as(role).isPositive();
        }
        JsonNode job = spec.get("job");
        assertThat(job.get("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/minkstream.jar");
        assertThat(job.get("entryClass").asText()).isEqualTo("io.minkstream.jobs.cli.MinkstreamCli");
        assertThat(job.get("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.get("parallelism").asInt()).isPositive();
        assertThat(job.get("state").asText()).isEqualTo("running");
    }

    @ParameterizedTest
    @ValueSource(strings = {"flinkdeployment-gpu.yaml", "flinkdeployment-cpu.yaml"})
    void keepsStateInRocksDbWithS3CheckpointsAndKubernetesHa(String file) throws IOException, InterruptedException {
        JsonNode conf = read(file).at("/spec/flinkConfiguration");
        assertThat(conf.get("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.get("execution.checkpointing.dir").asText()).startsWith("s3://${MINKSTREAM_BUCKET}/");
        assertThat(conf.get("execution.checkpointing.savepoint-dir").asText()).startsWith("s3://${MINKSTREAM_BUCKET}/");
        assertThat(conf.get("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.get("high-availability.storageDir").asText()).startsWith("s3://");
        assertThat(conf.get("env.java.opts.all").asText()).isEqualTo(LocalCluster.javaOptsAll().replaceAll("\\s+", " "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"flinkdeployment-gpu.yaml", "flinkdeployment-cpu.yaml"})
    void runsTheJobWithoutPinningItsParallelism(String file) throws IOException {
        List<String> args = args(read(file));
        assertThat(args.get(0)).isEqualTo("run");
        // --parallelism in the args would override job.parallelism, which scaling changes.
        assertThat(args).doesNotContain("--parallelism");
        // The job's --state-backend (default hashmap) overrides the cluster's state.backend.type.
        assertThat(args).containsSubsequence("--state-backend", "rocksdb");
        assertThat(args).contains("--bootstrap-servers", "--transactional-id-prefix", "--group-id");
    }

    @Test
    void gpuVariantRequestsOneGpuPerTaskManagerThroughTheExternalResourceFramework() throws IOException {
        JsonNode d = read("flinkdeployment-gpu.yaml");
        JsonNode conf = d.at("/spec/flinkConfiguration");
        assertThat(conf.get("external-resources").asText()).isEqualTo("gpu");
        assertThat(conf.get("external-resource.gpu.amount").asInt()).isEqualTo(1);
        assertThat(conf.get("external-resource.gpu.driver-factory.class").asText()).isEqualTo("org.apache.flink.externalresource.gpu.GPUDriverFactory");
        assertThat(conf.get("external-resource.gpu.param.discovery-script.path").asText())
                .isEqualTo("/opt/flink/plugins/external-resource-gpu/nvidia-gpu-discovery.sh");
        assertThat(conf.get("external-resource.gpu.kubernetes.config-key").asText()).isEqualTo("nvidia.com/gpu");
        assertThat(conf.get("classloader.parent-first-patterns.additional").asText()).isEqualTo("jcuda.");
        JsonNode main = mainContainer(d.at("/spec/taskManager/podTemplate"));
        assertThat(main.at("/resources/requests/nvidia.com~1gpu").asInt()).isEqualTo(1);
        assertThat(main.at("/resources/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
        assertThat(args(d)).containsSubsequence("--device", "auto");
    }

    @Test
    void cpuVariantHasNoGpu() throws IOException {
        JsonNode d = read("flinkdeployment-cpu.yaml");
        assertThat(d.at("/spec/flinkConfiguration").has("external-resources")).isFalse();
        assertThat(d.at("/spec/taskManager/podTemplate").isMissingNode()).isTrue();
        assertThat(args(d)).containsSubsequence("--device", "cpu");
    }

    private static JsonNode mainContainer(JsonNode podTemplate) {
        for (JsonNode c : podTemplate.at("/spec/containers")) {
            if (c.get("name").asText().equals("flink-main-container")) return c;
        }
        throw new AssertionError("no flink-main-container in " + podTemplate);
    }

    private static List<String> args(JsonNode d) {
        List<String> args = new ArrayList<>();
        d.at("/spec/job/args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static JsonNode read(String file) throws IOException {
        return YAML.readTree(Path.of("k8s", file).toFile());
    }
}
