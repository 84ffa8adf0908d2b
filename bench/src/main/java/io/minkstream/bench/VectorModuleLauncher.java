package io.minkstream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes {@code java -jar minkstream-bench.jar ...} run with the Vector API: a jar manifest cannot
 * add a JDK module, so when {@code jdk.incubator.vector} is missing from the boot layer the command
 * starts a child JVM with the same JVM options, {@code --add-modules jdk.incubator.vector} and the
 * same arguments, shares its standard streams, and exits with its status.
 */
final class VectorModuleLauncher {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Set in the child so that a JVM that still lacks the module cannot relaunch forever. */
    static final String RELAUNCHED_PROPERTY = "minkstream.bench.relaunched";

    private VectorModuleLauncher() {
    }

    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    static boolean shouldRelaunch() {
        return !vectorModulePresent() && System.getProperty(RELAUNCHED_PROPERTY) == null;
    }

    /** Runs the child JVM to completion and returns its exit status. */
    static int relaunch(Class<?> mainClass, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("--add-modules=" + VECTOR_MODULE);
        command.add("-D" + RELAUNCHED_PROPERTY + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            return child.waitFor();
        } catch (IOException e) {
            System.err.println("cannot start a JVM with --add-modules " + VECTOR_MODULE + " (" + e.getMessage()
                    + "); run: java --add-modules " + VECTOR_MODULE + " -jar minkstream-bench.jar ...");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
