package io.minkstream.jobs.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka 4.2 broker in this JVM: one KRaft node that is broker and controller at once, listening on
 * localhost. The demo runs its pipeline against it, the ITCases test against it, and the CLI's
 * {@code broker} subcommand can run it as a process of its own ({@link #awaitShutdown()},
 * {@link #closeOnJvmShutdown()}).
 *
 * <p>Start-up is what {@code kafka-storage.sh format} followed by {@code kafka-server-start.sh} do, with
 * the broker's own classes: the configuration is written to {@code <dataDir>/server.properties},
 * {@link StorageTool} formats the storage from it ({@code meta.properties} and the bootstrap metadata),
 * then {@link KafkaRaftServer} starts the controller and the broker. Both are entry points of the
 * {@code kafka_2.13} jar itself (the scripts call them); {@code Formatter} is not used because it sits in
 * {@code kafka-metadata}, a runtime-only dependency of the broker. Kafka's test kit
 * ({@code KafkaClusterTestKit}) is deliberately not used: it is an internal test artifact and must not be
 * on the production classpath.
 *
 * <p>The configuration suits a single node on a small machine: replication factor and min ISR 1 for the
 * internal topics (so transactions and consumer groups work with one broker), no initial rebalance delay,
 * a transaction timeout ceiling of one hour (Flink's exactly-once sink asks for up to 15 minutes), few
 * threads. Any broker property can be overridden with {@link Builder#property}.
 *
 * <p>Caveat: Kafka's fatal-fault handler halts the JVM. A broker that cannot keep its metadata log
 * consistent would take the demo process with it, as it would a standalone broker.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS_WITH_FREE_PORTS = 3;
    private static final String SERVER_PROPERTIES = "server.properties";

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Duration timeout;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object closeLock = new Object();
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dataDir, boolean deleteDataDir, int brokerPort,
            int controllerPort, Duration timeout) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.timeout = timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker on free ports with a temporary data directory that {@link #close()} deletes. */
    public static EmbeddedKafkaBroker start() {
        return builder().start();
    }

    /** {@code localhost:<port>} of the client listener. */
    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** Root of the broker's storage: {@code metadata/} (the KRaft log) and {@code logs/} (topic data). */
    public Path dataDir() {
        return dataDir;
    }

    /** Properties for an {@link Admin}, producer or consumer of this broker; callers add their own. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /**
     * Creates the topics with {@code partitions} partitions each, replication factor 1, and waits until
     * the broker serves them. Topics that already exist are left as they are.
     */
    public void createTopics(Collection<String> names, int partitions) {
        createTopics(names, partitions, Map.of());
    }

    /** As {@link #createTopics(Collection, int)}, with topic configs (e.g. {@code retention.ms}). */
    public void createTopics(Collection<String> names, int partitions, Map<String, String> topicConfigs) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        List<NewTopic> topics = new ArrayList<>(names.size());
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1).configs(topicConfigs));
        }
        try (Admin admin = Admin.create(clientProperties())) {
            var results = admin.createTopics(topics).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaBrokerException("cannot create topic " + entry.getKey() + " with "
                                + partitions + " partitions on " + bootstrapServers(), e.getCause());
                    }
                }
            }
            awaitTopicsServed(admin, Set.copyOf(names));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaBrokerException("interrupted while creating topics " + names, e);
        } catch (TimeoutException e) {
            throw new KafkaBrokerException("topics " + names + " not created within " + timeout, e);
        }
    }

    /**
     * Registers a JVM shutdown hook that closes this broker, so SIGTERM / Ctrl-C stop it cleanly (the
     * metadata log is closed, a temporary data directory is deleted).
     */
    public EmbeddedKafkaBroker closeOnJvmShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "embedded-kafka-broker-shutdown"));
        return this;
    }

    /** Blocks until {@link #close()} has finished, e.g. from the shutdown hook of a {@code broker} process. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /** Stops the broker and controller, waits for them, and deletes the data directory if it was temporary. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            long t0 = System.nanoTime();
            try {
                server.shutdown();
                server.awaitShutdown();
            } finally {
                if (deleteDataDir) {
                    deleteRecursively(dataDir);
                }
                stopped.countDown();
            }
            LOG.info("Kafka broker {} stopped in {} ms", bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    private void awaitTopicsServed(Admin admin, Set<String> names) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .values().forEach(d -> d.partitions().forEach(p -> {
                            if (p.leader() == null || p.leader().isEmpty()) {
                                throw new IllegalStateException("partition " + d.name() + "-" + p.partition()
                                        + " has no leader yet");
                            }
                        }));
                return;
            } catch (ExecutionException | IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("topics " + names + " not served: " + e.getMessage());
                }
                Thread.sleep(50);
            }
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete Kafka data directory " + root, e);
        }
    }

    /**
     * Configures and starts an {@link EmbeddedKafkaBroker}. Defaults: free ports, a temporary data
     * directory deleted on close, 30 s to become ready.
     */
    public static final class Builder {

        private int brokerPort;
        private int controllerPort;
        private Path dataDir;
        private Boolean deleteDataDirOnClose;
        private Duration timeout = Duration.ofSeconds(30);
        private final Properties overrides = new Properties();

        private Builder() {
        }

        /** Port of the client listener; 0 (the default) picks a free one. */
        public Builder brokerPort(int port) {
            this.brokerPort = checkPort(port, "brokerPort");
            return this;
        }

        /** Port of the KRaft controller listener; 0 (the default) picks a free one. */
        public Builder controllerPort(int port) {
            this.controllerPort = checkPort(port, "controllerPort");
            return this;
        }

        /**
         * Keeps the broker's storage in {@code dir} (created if missing, formatted only if not formatted
         * yet), so a restarted broker keeps its topics. Not deleted on close unless
         * {@link #deleteDataDirOnClose(boolean)} says so.
         */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder deleteDataDirOnClose(boolean delete) {
            this.deleteDataDirOnClose = delete;
            return this;
        }

        /** How long start-up and topic creation may take before they fail. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Overrides or adds one broker property (see Kafka's broker configs). */
        public Builder property(String key, String value) {
            overrides.setProperty(key, value);
            return this;
        }

        /** Formats the storage if needed, starts the node and blocks until the broker accepts clients. */
        public EmbeddedKafkaBroker start() {
            boolean freePorts = brokerPort == 0 || controllerPort == 0;
            int attempts = freePorts ? START_ATTEMPTS_WITH_FREE_PORTS : 1;
            KafkaBrokerException last = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                try {
                    return startOnce();
                } catch (KafkaBrokerException e) {
                    // A free port found by probing can be taken by someone else before the broker binds it.
                    last = e;
                    LOG.warn("Kafka broker start attempt {} of {} failed: {}", attempt, attempts, e.getMessage());
                }
            }
            throw last;
        }

        private EmbeddedKafkaBroker startOnce() {
            long t0 = System.nanoTime();
            boolean temporary = dataDir == null;
            Path dir = temporary ? createTempDir() : dataDir;
            boolean delete = deleteDataDirOnClose != null ? deleteDataDirOnClose : temporary;
            int bPort = brokerPort != 0 ? brokerPort : freePort();
            int cPort = controllerPort != 0 ? controllerPort : freePort(bPort);
            KafkaRaftServer server = null;
            try {
                Properties props = brokerProperties(dir, bPort, cPort);
                format(props, dir);
                server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
                server.startup();
                EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, dir, delete, bPort, cPort, timeout);
                awaitBrokerReady(broker);
                LOG.info("Kafka broker started on {} (controller port {}, data {}) in {} ms",
                        broker.bootstrapServers(), cPort, dir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                return broker;
            } catch (RuntimeException e) {
                stopQuietly(server);
                if (delete) {
                    deleteRecursively(dir);
                }
                throw e instanceof KafkaBrokerException ? (KafkaBrokerException) e
                        : new KafkaBrokerException("cannot start Kafka broker on localhost:" + bPort
                                + " (controller " + cPort + ", data " + dir + "): " + e, e);
            }
        }

        Properties brokerProperties(Path dir, int bPort, int cPort) {
            Properties p = new Properties();
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", Integer.toString(NODE_ID));
            p.setProperty("controller.quorum.voters", NODE_ID + "@localhost:" + cPort);
            p.setProperty("listeners", BROKER_LISTENER + "://localhost:" + bPort + "," + CONTROLLER_LISTENER
                    + "://localhost:" + cPort);
            p.setProperty("advertised.listeners", BROKER_LISTENER + "://localhost:" + bPort);
            p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
            p.setProperty("inter.broker.listener.name", BROKER_LISTENER);
            p.setProperty("listener.security.protocol.map",
                    CONTROLLER_LISTENER + ":PLAINTEXT," + BROKER_LISTENER + ":PLAINTEXT");
            p.setProperty("metadata.log.dir", dir.resolve("metadata").toString());
            p.setProperty("log.dirs", dir.resolve("logs").toString());
            p.setProperty("num.partitions", "1");
            p.setProperty("default.replication.factor", "1");
            // One broker: the internal topics must not ask for more replicas than exist.
            p.setProperty("offsets.topic.replication.factor", "1");
            p.setProperty("offsets.topic.num.partitions", "4");
            p.setProperty("transaction.state.log.replication.factor", "1");
            p.setProperty("transaction.state.log.min.isr", "1");
            p.setProperty("transaction.state.log.num.partitions", "4");
            p.setProperty("share.coordinator.state.topic.replication.factor", "1");
            p.setProperty("share.coordinator.state.topic.min.isr", "1");
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            // Flink's exactly-once KafkaSink uses transactions of up to 15 minutes; leave headroom.
            p.setProperty("transaction.max.timeout.ms", Long.toString(TimeUnit.HOURS.toMillis(1)));
            // A 2-core demo machine: Kafka's thread defaults are sized for servers.
            p.setProperty("num.network.threads", "2");
            p.setProperty("num.io.threads", "2");
            p.setProperty("background.threads", "2");
            p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
            p.putAll(overrides);
            return p;
        }

        /**
         * Formats the storage the way {@code kafka-storage.sh format} does, through the same entry point.
         * A directory that is already formatted is left alone, so it keeps its cluster id and topics
         * (the storage tool would refuse a second format with a new cluster id).
         */
        private static void format(Properties props, Path dir) {
            if (Files.isRegularFile(Path.of(props.getProperty("metadata.log.dir"), "meta.properties"))) {
                LOG.info("Kafka storage in {} is already formatted; keeping it", dir);
                return;
            }
            Path configFile = dir.resolve(SERVER_PROPERTIES);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exitCode;
            try {
                Files.createDirectories(dir);
                try (Writer out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                    props.store(out, "Written by minkstream EmbeddedKafkaBroker; used to format this directory");
                }
                String[] args = {"format", "--config", configFile.toString(), "--cluster-id",
                    Uuid.randomUuid().toString()};
                exitCode = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new KafkaBrokerException("cannot write " + configFile + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new KafkaBrokerException("cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
            }
            if (exitCode != 0) {
                throw new KafkaBrokerException("formatting Kafka storage in " + dir + " failed with exit code "
                        + exitCode + ": " + output.toString(StandardCharsets.UTF_8).strip());
            }
        }

        private void awaitBrokerReady(EmbeddedKafkaBroker broker) {
            Properties props = broker.clientProperties();
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            long deadline = System.nanoTime() + timeout.toNanos();
            try (Admin admin = Admin.create(props)) {
                while (true) {
                    try {
                        Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                        if (!nodes.isEmpty()) {
                            return;
                        }
                    } catch (ExecutionException | TimeoutException e) {
                        LOG.debug("Kafka broker not ready yet", e);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new KafkaBrokerException("Kafka broker " + broker.bootstrapServers()
                                + " not ready within " + timeout);
                    }
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaBrokerException("interrupted while waiting for Kafka broker", e);
            }
        }

        private static void stopQuietly(KafkaRaftServer server) {
            if (server == null) {
                return;
            }
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                LOG.warn("Kafka broker did not shut down cleanly after a failed start", e);
            }
        }

        private static Path createTempDir() {
            try {
                return Files.createTempDirectory("minkstream-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary Kafka data directory", e);
            }
        }

        private static int freePort(int... avoid) {
            for (int i = 0; i < 10; i++) {
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    socket.setReuseAddress(true);
                    int port = socket.getLocalPort();
                    if (avoid.length == 0 || port != avoid[0]) {
                        return port;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot find a free port on localhost", e);
                }
            }
            throw new IllegalStateException("no free port on localhost");
        }

        private static int checkPort(int port, String name) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be 0 (free port) or 1..65535, got " + port);
            }
            return port;
        }
    }
}
