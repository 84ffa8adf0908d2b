package io.minkstream.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code minkstream-bench}: the benchmark command line. Each subcommand is its own class
 * ({@link EngineCommand}, {@link JmhCommand}); add one by listing it in {@code subcommands}.
 */
@Command(name = "minkstream-bench", mixinStandardHelpOptions = true, version = "minkstream-bench 0.1.0",
        description = "Benchmarks of minkstream. The JVM is relaunched with --add-modules jdk.incubator.vector when it lacks the module.",
        subcommands = {EngineCommand.class, WindowCommand.class, JmhCommand.class, CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (VectorModuleLauncher.shouldRelaunch()) {
            System.exit(VectorModuleLauncher.relaunch(BenchMain.class, args));
        }
        CommandLine cli = new CommandLine(new BenchMain());
        // A failed benchmark (no case folder, no CUDA device) prints its reason, not a stack trace.
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("minkstream-bench " + cmd.getCommandName() + ": " + e.getMessage());
            return 2;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: engine, window, jmh or help");
    }
}
