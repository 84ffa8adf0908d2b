package io.minkstream.jobs.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes {@code java -jar minkstream.jar ...} run the engine with the Vector API. A jar manifest cannot
 * add a JDK module, so when {@code jdk.incubator.vector} is missing from the boot layer the CLI starts a
 * child JVM with the same JVM options plus {@code --add-modules jdk.incubator.vector} and the
 * {@code --add-opens} Flink's client needs on Java 17, the same class path and the same arguments;
 * the child shares the standard streams and its exit status becomes ours.
 *
 * <p>Only the JVM's own entry point relaunches: when {@code flink run} calls our {@code main} inside
 * its client JVM, a child JVM would run the job on a local mini cluster instead of the cluster.
 *
 * <p>Public so that other entry points (the bench command) can share it instead of keeping a copy.
 */
public final class VectorModuleRelauncher {
    public static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Set in the child, so that a JVM that still lacks the module cannot relaunch forever. */
    public static final String RELAUNCHED_PROPERTY = "minkstream.relaunched";
    private static final List<String> ADDED_JVM_OPTIONS = List.of(
            "--add-modules=" + VECTOR_MODULE,
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED");

    private VectorModuleRelauncher() {
    }

    public static boolean shouldRelaunch(Class<?> mainClass) {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()
                && System.getProperty(RELAUNCHED_PROPERTY) == null
                && startedAsMain(mainClass);
    }

    /**
     * Whether this JVM was started with {@code mainClass} (or a jar, i.e. {@code java -jar}) as its
     * entry point, rather than e.g. Flink's CliFrontend calling our main.
     */
    public static boolean startedAsMain(Class<?> mainClass) {
        String command = System.getProperty("sun.java.command", "");
        String entry = command.isBlank() ? "" : command.strip().split("\\s+", 2)[0];
        return entry.equals(mainClass.getName())
                || (entry.endsWith(".jar") && entry.equals(System.getProperty("java.class.path")));
    }

    /** Runs {@code mainClass} in a child JVM to completion and returns its exit status. */
    public static int relaunch(Class<?> mainClass, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(ADDED_JVM_OPTIONS);
        command.add("-D" + RELAUNCHED_PROPERTY + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Process child;
        try {
            child = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            System.err.println("minkstream: cannot start a JVM with --add-modules " + VECTOR_MODULE + " (" + e.getMessage()
                    + "); run: java --add-modules " + VECTOR_MODULE + " -jar minkstream.jar ...");
            return 1;
        }
        // SIGTERM to this JVM must stop the child too (a terminal's Ctrl-C reaches both anyway).
        Thread stopChild = new Thread(() -> stop(child), "minkstream-stop-child-jvm");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            int status = child.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopChild);
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(child);
            return 130;
        } catch (IllegalStateException shuttingDown) {
            return 143;
        }
    }

    private static void stop(Process child) {
        if (!child.isAlive()) return;
        child.destroy();
        try {
            if (!child.waitFor(30, TimeUnit.SECONDS)) child.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
        }
    }
}
