package io.minkstream.jobs.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code minkstream}: the one command line of the project, the main class of
 * {@code jobs/target/minkstream.jar}. Each subcommand is its own class: {@link RunCommand} (the
 * production job), {@link DemoCommand}, {@link BrokerCommand}, {@link SimulateCommand},
 * {@link ReplayCommand}.
 *
 * <p>Exit status: 0 success, 1 failure while running, 2 a bad option (reported before anything
 * starts, naming the option).
 */
@Command(name = "minkstream", mixinStandardHelpOptions = true, version = "minkstream 0.1.0",
        description = "Live LiDAR streams from Kafka into 4-D sparse tensors through Minkowski convolutions, on Flink.",
        subcommands = {RunCommand.class, DemoCommand.class, BrokerCommand.class, SimulateCommand.class,
            ReplayCommand.class, CommandLine.HelpCommand.class})
public final class MinkstreamCli implements Runnable {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (VectorModuleRelauncher.shouldRelaunch(MinkstreamCli.class)) {
            System.exit(VectorModuleRelauncher.relaunch(MinkstreamCli.class, args));
        }
        // The demo draws its PNG with AWT; there is never a display.
        System.setProperty("java.awt.headless", "true");
        boolean ownProcess = VectorModuleRelauncher.startedAsMain(MinkstreamCli.class);
        // Under "flink run" the client calls main: its logging and its JVM are not ours.
        if (ownProcess) CliLogging.configure();
        int status = commandLine().execute(args);
        if (ownProcess || status != 0) System.exit(status);
    }

    /** The configured command line: concise option errors (status 2), failures as one message (status 1). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MinkstreamCli());
        cl.setParameterExceptionHandler(MinkstreamCli::onBadParameter);
        cl.setExecutionExceptionHandler(MinkstreamCli::onFailure);
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: run, demo, broker, simulate, replay or help");
    }

    private static int onBadParameter(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
        }
        err.flush();
        return EXIT_USAGE;
    }

    private static int onFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof InvalidOptionException) {
            err.println(e.getMessage());
            err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return EXIT_USAGE;
        }
        err.println(cl.getCommandSpec().qualifiedName() + ": " + describe(e));
        if (Boolean.getBoolean("minkstream.stacktrace")) e.printStackTrace(err);
        else err.println("(run with -Dminkstream.stacktrace=true for the stack trace)");
        err.flush();
        return EXIT_FAILURE;
    }

    /** The message and its causes on one line, without repeating a cause already in the message. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (!sb.toString().contains(m)) sb.append(": ").append(m);
        }
        return sb.toString();
    }
}
