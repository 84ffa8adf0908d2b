package io.minkstream.jobs.demo;

import io.minkstream.jobs.kafka.EmbeddedKafkaBroker;
import io.minkstream.jobs.pipeline.JobOptions;
import io.minkstream.jobs.pipeline.MinkstreamPipeline;
import io.minkstream.jobs.publish.FramePublisher;
import io.minkstream.schemas.SparseFeatureFrame;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one-command demo, on real components in this JVM: a Kafka broker ({@link EmbeddedKafkaBroker},
 * temporary storage), the job ({@link MinkstreamPipeline} with the default {@link JobOptions}) on a
 * local Flink mini cluster with its web UI, a feed (the street-scene simulator, or a replayed
 * recording) publishing sensor frames with optional malformed ones, and a {@code read_committed}
 * consumer of the results ({@link ResultTracker}). It stops when every published record has come out
 * as a result or a dead letter (or fails after a timeout), then prints a PNG per sensor and one
 * summary line ({@link DemoSummary}) on {@code out}; progress and details go to {@code err}.
 *
 * <p>A replayed recording is published first and the job then runs bounded: frames after a gap in a
 * recording wait for the watermark to pass them, which only the end of a bounded input guarantees.
 */
public final class Demo {
    public static final String INPUT_TOPIC = "sensor-frames";
    public static final String OUTPUT_TOPIC = "sensor-features";
    public static final String DEAD_LETTER_TOPIC = "sensor-frames-dlq";
    static final String JOB_NAME = "minkstream-demo";
    static final long CHECKPOINT_INTERVAL_MS = 1000;
    /** A KITTI scan (~2 MB) or a window's output can exceed Kafka's 1 MB default record limit. */
    public static final int MAX_RECORD_BYTES = 16 << 20;
    private static final int PARTITIONS = 2;
    private static final Duration POLL = Duration.ofMillis(200);

    private final DemoOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private long jobSubmittedNanos;

    /** What a run produced: its exit status (0 = nothing lost), the summary and the pictures. */
    public record Result(int exitStatus, DemoSummary summary, List<Path> pictures) {
    }

    public Demo(DemoOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /** Whether a person is watching (stdout is a terminal): then progress is a bar redrawn in place. */
    public static boolean stdoutIsTerminal() {
        return ProgressDisplay.stdoutIsTerminal();
    }

    public Result run() throws Exception {
        System.setProperty("java.awt.headless", "true");
        boolean replay = options.replay() != null;
        // Closed on Ctrl-C too, so its temporary storage does not stay behind.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .property("message.max.bytes", Integer.toString(MAX_RECORD_BYTES)).start().closeOnJvmShutdown()) {
            broker.createTopics(List.of(INPUT_TOPIC, OUTPUT_TOPIC, DEAD_LETTER_TOPIC), PARTITIONS);
            err.println("demo: Kafka broker " + broker.bootstrapServers() + " (data " + broker.dataDir() + ", removed on exit)");
            JobOptions job = jobOptions(broker.bootstrapServers(), replay, null);
            try (ResultTracker tracker = new ResultTracker(broker.bootstrapServers(), OUTPUT_TOPIC, DEAD_LETTER_TOPIC, job.window.frames())) {
                tracker.start();
                return replay ? runReplay(broker, job, tracker) : runSimulation(broker, job, tracker);
            }
        }
    }

    private JobOptions jobOptions(String bootstrap, boolean bounded, TrajectoryBox trajectory) {
        JobOptions.Builder b = JobOptions.builder()
                .bootstrapServers(bootstrap)
                .inputTopic(INPUT_TOPIC).outputTopic(OUTPUT_TOPIC).deadLetterTopic(DEAD_LETTER_TOPIC)
                .device(options.device())
                .bounded(bounded)
                .kafkaProperty("max.request.size", Integer.toString(MAX_RECORD_BYTES));
        if (options.windowMode() != null) b.windowMode(options.windowMode());
        if (trajectory != null) b.voxelizer(trajectory.cropAlong(b.build().voxelizer));
        return b.build();
    }

    /** Simulator: the job runs unbounded while the feed publishes at its rate. */
    private Result runSimulation(EmbeddedKafkaBroker broker, JobOptions job, ResultTracker tracker) throws Exception {
        JobClient client = startJob(job, options.sensors());
        SimulatedFeed feed = SimulatedFeed.create(options.seed(), options.sensors(), options.frames(), 0, options.rate(),
                System.currentTimeMillis() * 1000L);
        long expected = feed.frames() + options.injectBad();
        err.println("demo: publishing " + feed.describe() + " at " + options.rate()
                + (options.injectBad() > 0 ? ", plus " + options.injectBad() + " malformed records" : ""));
        Publishing publishing = new Publishing(broker.bootstrapServers(), feed);
        publishing.start();
        try {
            return finish(client, tracker, publishing, expected, false);
        } finally {
            publishing.stop();
        }
    }

    /** Recording: published first (at its rate), then the job reads it bounded. */
    private Result runReplay(EmbeddedKafkaBroker broker, JobOptions job, ResultTracker tracker) throws Exception {
        RecordedFeed feed = RecordedFeed.open(options.replay(), options.replayFormat(), options.replaySensorId(), options.rate(),
                System.currentTimeMillis() * 1000L, options.frames());
        long expected = feed.frames() + options.injectBad();
        err.println("demo: publishing " + feed.describe() + " at " + options.rate()
                + (options.injectBad() > 0 ? ", plus " + options.injectBad() + " malformed records" : "")
                + (feed.hasLabels() ? "" : " (no labels: precision and recall are n/a)"));
        TrajectoryBox trajectory = new TrajectoryBox(feed);
        Publishing publishing = new Publishing(broker.bootstrapServers(), trajectory);
        publishing.run();
        publishing.rethrow();
        job = jobOptions(job.bootstrapServers, true, trajectory);
        float[] lo = job.voxelizer.cropMin();
        float[] hi = job.voxelizer.cropMax();
        err.printf(java.util.Locale.ROOT, "demo: crop box along the recorded trajectory: %.0f,%.0f,%.0f,%.0f,%.0f,%.0f%n",
                lo[0], lo[1], lo[2], hi[0], hi[1], hi[2]);
        JobClient client = startJob(job, 1);
        return finish(client, tracker, publishing, expected, true);
    }

    private JobClient startJob(JobOptions job, int sensors) throws Exception {
        int port = webUiPort(options.webUiPort());
        Configuration conf = new Configuration();
        conf.set(RestOptions.PORT, port);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        // One window subtask per sensor at most: more would idle, fewer than the cores would queue.
        env.setParallelism(Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), sensors)));
        env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
        MinkstreamPipeline.build(env, job);
        JobClient client = env.executeAsync(JOB_NAME);
        jobSubmittedNanos = System.nanoTime();
        err.println("demo: job " + client.getJobID() + " running, Flink web UI http://localhost:" + port
                + (options.webUiPort() != 0 && port != options.webUiPort() ? " (port " + options.webUiPort() + " is taken)" : "")
                + "; model " + job.model.name() + ", window " + job.window.frames() + " frames, window mode " + job.windowMode
                + ", device " + job.device.device());
        return client;
    }

    /** Waits for every record, stops the job, writes the pictures and the summary. */
    private Result finish(JobClient client, ResultTracker tracker, Publishing publishing, long expected, boolean bounded) throws Exception {
        long deadline = System.nanoTime() + timeout(expected).toNanos();
        ProgressDisplay progress = new ProgressDisplay(err, options.terminal(), expected);
        CompletableFuture<JobExecutionResult> jobResult = client.getJobExecutionResult();
        long jobEndedNanos = 0;
        boolean timedOut = false;
        String failure = null;
        try {
            while (true) {
                long done = tracker.outputs() + tracker.rejected();
                progress.update(publishing.published.get(), tracker.outputs(), tracker.rejected());
                if (publishing.finished() && done >= publishing.published.get()) break;
                if (publishing.failure.get() != null) {
                    failure = "publishing failed: " + describe(publishing.failure.get());
                    break;
                }
                if (tracker.failure() != null) {
                    failure = "reading results failed: " + describe(tracker.failure());
                    break;
                }
                if (jobResult.isDone()) {
                    if (jobResult.isCompletedExceptionally() || !bounded) {
                        failure = "the job stopped: " + jobFailure(jobResult);
                        break;
                    }
                    // A bounded job committed everything when it finished; give the reader a moment.
                    if (jobEndedNanos == 0) jobEndedNanos = System.nanoTime();
                    else if (System.nanoTime() - jobEndedNanos > TimeUnit.SECONDS.toNanos(15)) break;
                }
                if (System.nanoTime() > deadline) {
                    timedOut = true;
                    break;
                }
                Thread.sleep(POLL.toMillis());
            }
        } finally {
            progress.update(publishing.published.get(), tracker.outputs(), tracker.rejected());
            progress.finish();
            publishing.stop();
            stopJob(client, jobResult);
        }
        ResultTracker.Results results = tracker.results();
        // Throughput counts from when both the job and the first frame were there (a replay publishes first).
        long start = Math.max(publishing.firstSendNanos.get(), jobSubmittedNanos);
        DemoSummary summary = DemoSummary.of(publishing.published.get(), start, results);
        List<Path> pictures = writePictures(results.lastWindows());
        report(results, summary, timedOut, failure, expected);
        for (Path p : pictures) out.println("demo: png=" + p.toAbsolutePath());
        out.println(summary.line());
        out.flush();
        boolean ok = failure == null && !timedOut && summary.complete() && results.duplicates() == 0;
        return new Result(ok ? 0 : 1, summary, pictures);
    }

    private void report(ResultTracker.Results r, DemoSummary s, boolean timedOut, String failure, long expected) {
        if (!r.rejectReasons().isEmpty()) {
            StringBuilder sb = new StringBuilder("demo: dead letters by reason:");
            r.rejectReasons().forEach((reason, n) -> sb.append(' ').append(reason).append('=').append(n));
            err.println(sb);
        }
        if (r.duplicates() > 0) err.println("demo: ERROR: " + r.duplicates() + " results came out more than once");
        if (failure != null) err.println("demo: ERROR: " + failure);
        if (timedOut) {
            err.println("demo: ERROR: timed out after " + timeout(expected).toSeconds() + " s with " + (r.outputs() + r.rejected())
                    + " of " + expected + " records out");
        }
        if (!s.complete()) err.println("demo: ERROR: frames_out != frames_in - rejected");
        err.flush();
    }

    private List<Path> writePictures(Map<String, List<SparseFeatureFrame>> windows) throws IOException {
        List<Path> pictures = new ArrayList<>();
        if (windows.isEmpty()) return pictures;
        Path dir = options.pngDir() != null ? options.pngDir() : Files.createTempDirectory("minkstream-demo-");
        for (var e : windows.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            SparseFeatureFrame newest = e.getValue().get(e.getValue().size() - 1);
            String name = e.getKey().replaceAll("[^A-Za-z0-9_.-]", "_") + "-last-window-seq" + newest.getSequence() + ".png";
            pictures.add(BirdsEyeView.write(e.getValue(), dir.resolve(name)));
        }
        return pictures;
    }

    /**
     * The limit on the whole run: a minute to start, the publishing time at the rate, and two seconds
     * per record (the default window recomputed on a loaded 2-core machine takes well under one).
     */
    Duration timeout(long records) {
        if (options.timeout() != null) return options.timeout();
        double publishSeconds = options.rate().isMax() ? 0 : records / (options.rate().hz() * Math.max(1, options.sensors()));
        return Duration.ofSeconds(60 + (long) publishSeconds + 2 * records);
    }

    private static void stopJob(JobClient client, CompletableFuture<JobExecutionResult> result) {
        if (!result.isDone()) {
            try {
                client.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // The job may have ended between the check and the cancel.
            }
        }
        try {
            result.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Cancelled: expected.
        }
    }

    private static String jobFailure(CompletableFuture<JobExecutionResult> result) {
        try {
            result.getNow(null);
            return "it finished before all records came out";
        } catch (Exception e) {
            return describe(e);
        }
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (cause: " + root + ")";
    }

    /** The wanted port when it is free, else a free one (0 = always a free one). */
    static int webUiPort(int wanted) throws IOException {
        if (wanted != 0) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(wanted));
                return wanted;
            } catch (IOException taken) {
                // fall through to a free port
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The feed's publisher on a thread of its own, with what it sent so far. */
    private final class Publishing implements Runnable {
        final AtomicLong published = new AtomicLong();
        final AtomicLong firstSendNanos = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final String bootstrap;
        private final FrameFeed feed;
        private final Thread thread;
        private volatile boolean finished;

        Publishing(String bootstrap, FrameFeed feed) {
            this.bootstrap = bootstrap;
            this.feed = feed;
            this.thread = new Thread(this, "demo-publisher");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        @Override
        public void run() {
            FeedPublisher.Listener onTick = (good, bad) -> {
                if (firstSendNanos.get() == 0) firstSendNanos.set(System.nanoTime());
                published.set(good + bad);
            };
            try (FramePublisher p = new FramePublisher(bootstrap, INPUT_TOPIC,
                    Map.of("max.request.size", Integer.toString(MAX_RECORD_BYTES)))) {
                FeedPublisher.Result r = new FeedPublisher(p, INPUT_TOPIC, options.rate(), options.injectBad(), options.seed())
                        .publish(feed, onTick);
                firstSendNanos.set(r.firstSendNanos());
                published.set(r.total());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                finished = true;
            }
        }

        boolean finished() {
            return finished && failure.get() == null;
        }

        void rethrow() throws Exception {
            Throwable t = failure.get();
            if (t instanceof Exception ex) throw ex;
            if (t != null) throw new IllegalStateException(t);
        }

        void stop() throws InterruptedException {
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(10_000);
            }
        }
    }
}
