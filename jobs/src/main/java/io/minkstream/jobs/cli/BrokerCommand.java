package io.minkstream.jobs.cli;

import io.minkstream.jobs.demo.Demo;
import io.minkstream.jobs.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code minkstream broker}: the {@link EmbeddedKafkaBroker} as a process of its own, until SIGTERM or
 * Ctrl-C. Prints {@code broker: ready bootstrap=localhost:<port>} on stdout once clients can connect,
 * so scripts can wait for that line. Records of up to 16 MB are accepted (a KITTI scan is ~2 MB).
 */
@Command(name = "broker", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a single-node Kafka 4.2 broker (KRaft, broker+controller, localhost) until SIGTERM.")
public final class BrokerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", description = "Client listener port; 0 = a free one (default: ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--controller-port", defaultValue = "9093", description = "KRaft controller port; 0 = a free one (default: ${DEFAULT-VALUE}).")
    int controllerPort;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the broker's storage here across restarts (default: a temporary folder, deleted on exit).")
    Path dataDir;
    @Option(names = "--topics", defaultValue = "sensor-frames,sensor-features,sensor-frames-dlq", paramLabel = "T1,T2,...",
            description = "Topics to create when missing; \"\" for none (default: ${DEFAULT-VALUE}).")
    String topics;
    @Option(names = "--partitions", defaultValue = "2", paramLabel = "N", description = "Partitions of each created topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws InterruptedException {
        checkPort("--port", port);
        checkPort("--controller-port", controllerPort);
        if (port != 0 && port == controllerPort) throw new InvalidOptionException("--controller-port", "must differ from --port, both are " + port);
        OptionValues.atLeast("--partitions", partitions, 1);
        List<String> names = OptionValues.names(topics);

        EmbeddedKafkaBroker.Builder b = EmbeddedKafkaBroker.builder().brokerPort(port).controllerPort(controllerPort)
                // A KITTI scan is ~2 MB, over Kafka's 1 MB default.
                .property("message.max.bytes", Integer.toString(Demo.MAX_RECORD_BYTES));
        if (dataDir != null) b.dataDir(dataDir.toAbsolutePath());
        EmbeddedKafkaBroker broker = b.start().closeOnJvmShutdown();
        if (!names.isEmpty()) broker.createTopics(names, partitions);
        PrintWriter out = spec.commandLine().getOut();
        out.println("broker: ready bootstrap=" + broker.bootstrapServers());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("broker: controller port " + broker.controllerPort() + ", data " + broker.dataDir()
                + (names.isEmpty() ? "" : ", topics " + String.join(",", names) + " (" + partitions + " partitions)")
                + "; stop with SIGTERM or Ctrl-C");
        err.flush();
        broker.awaitShutdown();
        return 0;
    }

    private static void checkPort(String option, int p) {
        if (p < 0 || p > 65535) throw new InvalidOptionException(option, "must be 0 (a free port) or 1..65535, got " + p);
    }
}
