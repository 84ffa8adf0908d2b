package io.minkstream.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config.yaml that cluster.sh writes is valid YAML with the settings the fault test relies on. */
class LocalClusterConfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path work;

    @Test
    void writesTheClusterSettings() throws Exception {
        JsonNode c = config(Map.of("WORK_DIR", work.toString(), "REST_PORT", "18123", "SLOTS", "1"));
        assertThat(c.at("/rest/port").asInt()).isEqualTo(18123);
        assertThat(c.at("/taskmanager/numberOfTaskSlots").asInt()).isEqualTo(1);
        assertThat(c.at("/state/backend/type").asText()).isEqualTo("rocksdb");
        assertThat(c.at("/execution/checkpointing/dir").asText()).isEqualTo("file://" + work + "/checkpoints");
        assertThat(c.at("/execution/checkpointing/savepoint-dir").asText()).isEqualTo("file://" + work + "/savepoints");
        assertThat(c.at("/restart-strategy/type").asText()).isEqualTo("fixed-delay");
        assertThat(c.at("/classloader/parent-first-patterns/additional/0").asText()).isEqualTo("jcuda.");
        assertThat(c.at("/env/java/opts/all").asText()).isEqualTo(LocalCluster.javaOptsAll())
                .contains("--add-modules=jdk.incubator.vector", "--add-opens=java.base/java.util=ALL-UNNAMED");
        assertThat(c.has("external-resources")).isFalse();
    }

    @Test
    void configuresTheGpuResourceWhenADiscoveryScriptIsGiven() throws Exception {
        JsonNode c = config(Map.of("WORK_DIR", work.toString(), "GPU_DISCOVERY_SCRIPT", "/opt/gpu/discover.sh"));
        assertThat(c.get("external-resources").asText()).isEqualTo("gpu");
        assertThat(c.at("/external-resource/gpu/amount").asInt()).isEqualTo(1);
        assertThat(c.at("/external-resource/gpu/driver-factory/class").asText()).isEqualTo("org.apache.flink.externalresource.gpu.GPUDriverFactory");
        assertThat(c.at("/external-resource/gpu/param/discovery-script/path").asText()).isEqualTo("/opt/gpu/discover.sh");
    }

    private JsonNode config(Map<String, String> env) throws Exception {
        LocalCluster.run("flink_config", env);
        return YAML.readTree(work.resolve("conf/config.yaml").toFile());
    }
}
