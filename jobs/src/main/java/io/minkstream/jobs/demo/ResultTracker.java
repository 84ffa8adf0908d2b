package io.minkstream.jobs.demo;

import io.minkstream.schemas.PackedInts;
import io.minkstream.schemas.RejectReason;
import io.minkstream.schemas.RejectedFrame;
import io.minkstream.schemas.SparseFeatureFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo's downstream consumer: reads the output and dead-letter topics as a real consumer would
 * ({@code read_committed}, so only what the job committed exactly once) on a thread of its own and
 * keeps what the summary needs: counts, latencies, voxels per window, moving precision and recall,
 * rejections by reason, and each sensor's last window for the picture.
 *
 * <p>Voxels per window: an output with {@code --emit newest} holds the newest frame's rows, and the
 * built-in model keeps the input's coordinates (stride-1 convolution), so its row count is that
 * frame's voxel count; the window's count is the sum over the outputs of the frames in the window
 * (windowFirstSequence to sequence) of the same sensor.
 *
 * <p>Moving precision and recall count the rows of outputs that carry ground truth and whose window
 * is full ({@code framesInWindow >= windowFrames}: the model has its history; for the simulator that is
 * sequence >= windowFrames - 1).
 */
public final class ResultTracker implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String outputTopic;
    private final String deadLetterTopic;
    private final int windowFrames;
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean stopping;

    // Guarded by this.
    private long outputs;
    private long rejected;
    private long duplicates;
    private long firstOutputNanos;
    private long lastOutputNanos;
    private long[] latencyMicros = new long[1024];
    private long[] voxelsPerWindow = new long[1024];
    private long truePositives;
    private long falsePositives;
    private long falseNegatives;
    private long scoredRows;
    private final Map<RejectReason, Long> rejectReasons = new EnumMap<>(RejectReason.class);
    private final Map<String, Deque<SparseFeatureFrame>> lastWindow = new TreeMap<>();
    private final Map<String, TreeMap<Long, Integer>> rowsBySequence = new HashMap<>();
    private final Set<String> seen = new HashSet<>();

    public ResultTracker(String bootstrapServers, String outputTopic, String deadLetterTopic, int windowFrames) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 << 20));
        this.consumer = new KafkaConsumer<>(p);
        this.outputTopic = outputTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.windowFrames = windowFrames;
        this.thread = new Thread(this::consume, "demo-result-tracker");
        this.thread.setDaemon(true);
    }

    /** Assigns every partition of both topics (they must exist), from the beginning, and starts reading. */
    public void start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(outputTopic, deadLetterTopic)) {
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) partitions.add(new TopicPartition(topic, p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread.start();
    }

    private void consume() {
        try {
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(outputTopic)) onOutput(SparseFeatureFrame.fromByteBuffer(ByteBuffer.wrap(r.value())));
                    else onRejected(RejectedFrame.fromByteBuffer(ByteBuffer.wrap(r.value())));
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    private synchronized void onRejected(RejectedFrame r) {
        rejected++;
        rejectReasons.merge(r.getReason(), 1L, Long::sum);
    }

    private synchronized void onOutput(SparseFeatureFrame f) {
        long now = System.nanoTime();
        if (!seen.add(f.getSensorId() + "#" + f.getSequence())) duplicates++;
        if (outputs == 0) firstOutputNanos = now;
        lastOutputNanos = now;
        latencyMicros = append(latencyMicros, outputs, f.getProcessingLatencyMicros());
        voxelsPerWindow = append(voxelsPerWindow, outputs, windowVoxels(f));
        outputs++;
        score(f);
        Deque<SparseFeatureFrame> window = lastWindow.computeIfAbsent(f.getSensorId(), k -> new ArrayDeque<>());
        window.addLast(f);
        while (!window.isEmpty() && window.peekFirst().getSequence() < f.getWindowFirstSequence()) window.removeFirst();
    }

    private long windowVoxels(SparseFeatureFrame f) {
        TreeMap<Long, Integer> rows = rowsBySequence.computeIfAbsent(f.getSensorId(), k -> new TreeMap<>());
        rows.put(f.getSequence(), f.getRowCount());
        rows.headMap(f.getWindowFirstSequence()).clear();
        long sum = 0;
        for (int n : rows.subMap(f.getWindowFirstSequence(), true, f.getSequence(), true).values()) sum += n;
        return sum;
    }

    private void score(SparseFeatureFrame f) {
        if (f.getTruthLabels() == null || f.getLabels() == null || f.getFramesInWindow() < windowFrames) return;
        int n = f.getRowCount();
        ByteBuffer predicted = f.getLabels();
        ByteBuffer truth = f.getTruthLabels();
        PackedInts.requireCount(predicted, "labels", n);
        PackedInts.requireCount(truth, "truthLabels", n);
        for (int i = 0; i < n; i++) {
            boolean p = PackedInts.get(predicted, i) != 0;
            boolean t = PackedInts.get(truth, i) != 0;
            if (p && t) truePositives++;
            else if (p) falsePositives++;
            else if (t) falseNegatives++;
        }
        scoredRows += n;
    }

    private static long[] append(long[] a, long size, long v) {
        if (size == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[(int) size] = v;
        return a;
    }

    public synchronized long outputs() {
        return outputs;
    }

    public synchronized long rejected() {
        return rejected;
    }

    /** The consumer's failure (undecodable output, lost broker), or null. */
    public Throwable failure() {
        return failure;
    }

    /** Everything seen so far. */
    public synchronized Results results() {
        Map<String, List<SparseFeatureFrame>> windows = new LinkedHashMap<>();
        lastWindow.forEach((k, v) -> windows.put(k, new ArrayList<>(v)));
        return new Results(outputs, rejected, duplicates, firstOutputNanos, lastOutputNanos,
                Arrays.copyOf(latencyMicros, (int) outputs), Arrays.copyOf(voxelsPerWindow, (int) outputs),
                truePositives, falsePositives, falseNegatives, scoredRows, new EnumMap<>(rejectReasons), windows);
    }

    /** Stops the consumer thread and closes the consumer. */
    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    /** A snapshot of what the consumer saw. Latencies in microseconds; windows: each sensor's last outputs, oldest first. */
    public record Results(long outputs, long rejected, long duplicates, long firstOutputNanos, long lastOutputNanos,
                          long[] latencyMicros, long[] voxelsPerWindow, long truePositives, long falsePositives,
                          long falseNegatives, long scoredRows, Map<RejectReason, Long> rejectReasons,
                          Map<String, List<SparseFeatureFrame>> lastWindows) {
    }
}
