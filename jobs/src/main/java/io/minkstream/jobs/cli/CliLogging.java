package io.minkstream.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * Logging of the {@code minkstream} process when it runs as its own program: stdout carries only the
 * commands' results (the demo's {@code png=} and summary lines, {@code broker: ready}, count lines), so
 * log lines move to stderr; and warnings that Flink and Kafka print on every healthy run (metric name
 * collisions of the Kafka sink's writers and committers, a checkpoint declined by a finishing task, no
 * log file for the web UI, no delegation tokens, a race creating Kafka's offsets topic) are silenced. A user's own
 * {@code -Dlog4j2.configurationFile} is left alone.
 */
final class CliLogging {
    /** Loggers whose warnings carry no information for a CLI user. */
    static final List<String> QUIET = List.of(
            "org.apache.flink.metrics.MetricGroup",
            "org.apache.flink.runtime.checkpoint.CheckpointFailureManager",
            "org.apache.flink.runtime.webmonitor.WebMonitorUtils",
            "org.apache.flink.runtime.security.token.DefaultDelegationTokenManager",
            // "Auto topic creation failed for __consumer_offsets ... TOPIC_ALREADY_EXISTS" when two clients ask at once.
            "kafka.server.DefaultAutoTopicCreationManager");

    private CliLogging() {
    }

    static void configure() {
        if (System.getProperty("log4j2.configurationFile") != null || System.getProperty("log4j.configurationFile") != null) return;
        if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) return;
        Configuration config = ctx.getConfiguration();
        for (Appender a : new ArrayList<>(config.getAppenders().values())) {
            if (a instanceof ConsoleAppender console && console.getTarget() == ConsoleAppender.Target.SYSTEM_OUT) {
                moveToStderr(config, console);
            }
        }
        ctx.updateLoggers();
        for (String name : QUIET) Configurator.setLevel(name, Level.ERROR);
    }

    private static void moveToStderr(Configuration config, ConsoleAppender console) {
        ConsoleAppender stderr = ConsoleAppender.newBuilder()
                .setName(console.getName() + "-stderr")
                .setTarget(ConsoleAppender.Target.SYSTEM_ERR)
                .setLayout(console.getLayout())
                .setConfiguration(config)
                .build();
        stderr.start();
        config.addAppender(stderr);
        List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
        loggers.add(config.getRootLogger());
        for (LoggerConfig logger : loggers) {
            var ref = logger.getAppenders().get(console.getName());
            if (ref == null) continue;
            logger.removeAppender(console.getName());
            logger.addAppender(stderr, null, null);
        }
    }
}
