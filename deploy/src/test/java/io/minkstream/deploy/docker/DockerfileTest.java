package io.minkstream.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.deploy.local.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Docker does not run here: the Dockerfile is read as text and its key instructions checked. */
class DockerfileTest {
    private static final Path DOCKERFILE = Path.of("docker/Dockerfile");

    @Test
    void startsFromTheOfficialFlink22Java17Image() throws IOException {
        assertThat(instructions()).first().asString().matches("FROM flink:2\\.2(\\.\\d+)?-java17");
    }

    @Test
    void putsTheJobJarInUsrlibAndJcudaInLib() throws IOException {
        assertThat(instructions())
                .anyMatch(i -> i.startsWith("COPY") && i.contains("jobs/target/minkstream.jar") && i.endsWith("/opt/flink/usrlib/minkstream.jar"))
                .anyMatch(i -> i.startsWith("COPY") && i.contains("jcuda-12.6.0.jar") && i.contains("jcuda-natives-12.6.0-linux-x86_64.jar")
                        && i.endsWith("/opt/flink/lib/"));
    }

    @Test
    void installsTheGpuPluginWithItsDiscoveryScripts() throws IOException {
        String run = instructions().stream().filter(i -> i.contains("gpu_dir=")).findFirst().orElseThrow();
        assertThat(run).contains("/opt/flink/plugins/external-resource-gpu", "flink-external-resource-gpu-2.0.0.jar",
                "nvidia-gpu-discovery.sh", "gpu-discovery-common.sh");
    }

    @Test
    void setsTheClusterJvmFlagsAndJcudaParentFirst() throws IOException, InterruptedException {
        String config = instructions().stream().filter(i -> i.contains("config-parser-utils.sh")).findFirst().orElseThrow();
        Matcher opts = Pattern.compile("\"-Denv\\.java\\.opts\\.all=([^\"]+)\"").matcher(config);
        assertThat(opts.find()).as("-Denv.java.opts.all=... in %s", config).isTrue();
        assertThat(opts.group(1)).isEqualTo(LocalCluster.javaOptsAll().replaceAll("\\s+", " "));
        assertThat(config).contains("\"-Dclassloader.parent-first-patterns.additional=jcuda.\"");
    }

    @Test
    void everyCopiedFileIsInTheBuildContext() throws IOException {
        List<String> allowed = Files.readAllLines(Path.of("docker/Dockerfile.dockerignore")).stream()
                .filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        for (String i : instructions()) {
            if (!i.startsWith("COPY")) continue;
            String[] words = i.split("\\s+");
            for (int w = 1; w < words.length - 1; w++) {
                if (words[w].startsWith("--")) continue;
                String source = words[w];
                assertThat(allowed).as("%s is sent to the builder", source).anyMatch(a -> source.equals(a) || source.startsWith(a));
            }
        }
    }

    /** Instructions with continuation lines joined and comments dropped. */
    private static List<String> instructions() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && cur.isEmpty())) continue;
            boolean continued = t.endsWith("\\");
            cur.append(continued ? t.substring(0, t.length() - 1) : t).append(' ');
            if (!continued) {
                out.add(cur.toString().strip().replaceAll("\\s+", " "));
                cur.setLength(0);
            }
        }
        return out;
    }
}
