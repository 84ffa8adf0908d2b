package io.minkstream.deploy.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a function of deploy/local/cluster.sh in bash (tests run in the deploy module's folder). */
public final class LocalCluster {
    public static final Path SCRIPT = Path.of("local/cluster.sh").toAbsolutePath();

    private LocalCluster() {
    }

    /** Sources cluster.sh with {@code env} set, runs {@code command}, returns its stdout. */
    public static String run(String command, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "set -euo pipefail; . \"$1\"; " + command, "bash", SCRIPT.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) throw new IllegalStateException("'" + command + "' exited with " + rc + ": " + out);
        return out;
    }

    /** The JVM flags every Flink process of the local cluster gets (env.java.opts.all). */
    public static String javaOptsAll() throws IOException, InterruptedException {
        return run("printf %s \"$JAVA_OPTS_ALL\"", Map.of());
    }
}
