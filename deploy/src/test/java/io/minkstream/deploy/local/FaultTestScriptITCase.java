package io.minkstream.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs deploy/local/fault-test.sh with a small stream (a broker, a JobManager and TaskManagers as
 * processes, a TaskManager killed mid-stream, a rescale from a savepoint) and checks its verdict.
 * Failsafe runs it in {@code mvn verify}, after the jobs module has built the shaded jar.
 */
class FaultTestScriptITCase {
    private static final Pattern FAULT = Pattern.compile(
            "^fault-test: produced=(\\d+) committed=(\\d+) duplicates=(\\d+) missing=(\\d+) mismatched=(\\d+) restarts=(\\d+)$");
    private static final Pattern RESCALE = Pattern.compile(
            "^rescale-test: produced=(\\d+) committed=(\\d+) duplicates=(\\d+) missing=(\\d+) mismatched=(\\d+) parallelism=2->3$");

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void outputStaysExactlyOnceThroughAKilledTaskManagerAndARescale() throws Exception {
        Path jar = Path.of(System.getProperty("job.jar", "../jobs/target/minkstream.jar")).toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(jar), "no job jar at " + jar
                + ": it is built by the jobs module's package phase; run mvn verify from the repository root");
        assumeTrue(Files.isRegularFile(Path.of("target/verifier.classpath")), "target/verifier.classpath is missing: run through Maven");
        int frames = Integer.parseInt(System.getProperty("fault.test.frames", "120"));

        ProcessBuilder pb = new ProcessBuilder("bash", "local/fault-test.sh").redirectErrorStream(true);
        pb.environment().putAll(Map.of(
                "JOB_JAR", jar.toString(),
                "FRAMES", String.valueOf(frames),
                "RESCALE_FRAMES", String.valueOf(frames / 2),
                "RATE", "5",
                "WORK_DIR", Path.of("target/fault-test-it").toAbsolutePath().toString(),
                // Free ports, so a fault test started by hand (or another build) does not collide with this one.
                "REST_PORT", freePort(), "RPC_PORT", freePort(), "BROKER_PORT", freePort(), "CONTROLLER_PORT", freePort(),
                "MVN_FLAGS", Boolean.getBoolean("maven.offline") ? "-o" : ""));
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        int rc;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                System.out.println(line);
                lines.add(line);
            }
            rc = p.waitFor();
        } finally {
            stop(p);
        }

        Matcher fault = find(lines, FAULT);
        assertThat(fault).as("fault-test line in the script's output").isNotNull();
        assertThat(fault.group(1)).as("produced").isEqualTo(String.valueOf(frames));
        assertThat(fault.group(2)).as("committed").isEqualTo(String.valueOf(frames));
        assertThat(fault.group(3)).as("duplicates").isEqualTo("0");
        assertThat(fault.group(4)).as("missing").isEqualTo("0");
        assertThat(fault.group(5)).as("mismatched").isEqualTo("0");
        assertThat(Integer.parseInt(fault.group(6))).as("restarts").isGreaterThanOrEqualTo(1);
        Matcher rescale = find(lines, RESCALE);
        assertThat(rescale).as("rescale-test line in the script's output").isNotNull();
        assertThat(rescale.group(1)).as("produced after the rescale").isEqualTo(String.valueOf(frames / 2));
        assertThat(rescale.group(3) + rescale.group(4) + rescale.group(5)).as("duplicates, missing, mismatched after the rescale").isEqualTo("000");
        assertThat(rc).as("exit status").isZero();
    }

    private static String freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return String.valueOf(s.getLocalPort());
        }
    }

    private static Matcher find(List<String> lines, Pattern pattern) {
        for (String l : lines) {
            Matcher m = pattern.matcher(l);
            if (m.matches()) return m;
        }
        return null;
    }

    /** The script stops its processes on exit; on a timeout its whole process tree is stopped here. */
    private static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) return;
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
