package io.minkstream.jobs.demo;

import io.minkstream.jobs.publish.FramePublisher;
import io.minkstream.jobs.publish.SensorFrames;
import io.minkstream.jobs.sensor.ScanFrame;
import io.minkstream.schemas.SensorFrame;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends a {@link FrameFeed} to Kafka at a {@link Rate}: tick k goes out k / rate seconds after the
 * first (a tick's frames are made before it is due, so making them does not delay it), keyed by sensor
 * id. Optionally mixes in {@code injectBad} {@link MalformedFrames}, spread evenly over the ticks,
 * each right after the tick whose frame it was made from. A send the broker refuses fails the publish.
 */
public final class FeedPublisher {

    /** Told after every tick. */
    public interface Listener {
        void sent(long good, long bad);
    }

    /** What was sent: good frames, bad records, and when the first and last went out (System.nanoTime). */
    public record Result(long good, long bad, long firstSendNanos, long lastSendNanos) {
        public long total() {
            return good + bad;
        }

        public double seconds() {
            return (lastSendNanos - firstSendNanos) / 1e9;
        }
    }

    private final FramePublisher publisher;
    private final String topic;
    private final Rate rate;
    private final int injectBad;
    private final MalformedFrames malformed;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();

    private record InFlight(Future<RecordMetadata> ack, String what) {
    }

    public FeedPublisher(FramePublisher publisher, String topic, Rate rate, int injectBad, long seed) {
        if (injectBad < 0) throw new IllegalArgumentException("bad records must be >= 0, got " + injectBad);
        this.publisher = publisher;
        this.topic = topic;
        this.rate = rate;
        this.injectBad = injectBad;
        this.malformed = new MalformedFrames(seed);
    }

    /** Publishes the whole feed and waits until the broker acknowledged every record. */
    public Result publish(FrameFeed feed, Listener listener) throws InterruptedException {
        int ticks = feed.ticks();
        if (injectBad > 0 && ticks == 0) throw new IllegalArgumentException("cannot inject bad frames into a feed without frames");
        long good = 0;
        long bad = 0;
        int nextBad = 0;
        long first = 0;
        for (int k = 0; k < ticks; k++) {
            List<ScanFrame> frames = feed.tick(k);
            long due = rate.dueNanos(k);
            if (k == 0) {
                first = System.nanoTime();
            } else {
                sleepUntil(first + due);
            }
            SensorFrame[] avro = new SensorFrame[frames.size()];
            byte[][] bytes = new byte[frames.size()][];
            for (int i = 0; i < frames.size(); i++) {
                ScanFrame f = frames.get(i);
                avro[i] = SensorFrames.toAvro(f);
                bytes[i] = SensorFrames.encode(avro[i]);
                send(f.sensorId(), bytes[i], f.sensorId() + "#" + f.sequence());
                good++;
            }
            // Bad record j follows tick floor((j + 1/2) * ticks / K), made from frame j (mod the tick's size).
            while (nextBad < injectBad && badTick(nextBad, ticks) == k) {
                int i = nextBad % frames.size();
                MalformedFrames.Kind kind = MalformedFrames.kind(nextBad);
                String what = kind + " made from " + frames.get(i).sensorId() + "#" + frames.get(i).sequence();
                send(frames.get(i).sensorId(), malformed.make(kind, avro[i], bytes[i]), what);
                bad++;
                nextBad++;
            }
            checkAcknowledged(false);
            if (listener != null) listener.sent(good, bad);
        }
        publisher.flush();
        checkAcknowledged(true);
        return new Result(good, bad, first, System.nanoTime());
    }

    private int badTick(int j, int ticks) {
        return (int) Math.min(ticks - 1, (long) ((j + 0.5) * ticks / injectBad));
    }

    private void send(String key, byte[] value, String what) {
        inFlight.add(new InFlight(publisher.send(key, value), what));
    }

    /** Fails on the first refused record; with {@code all}, waits for every acknowledgement. */
    private void checkAcknowledged(boolean all) throws InterruptedException {
        while (!inFlight.isEmpty() && (all || inFlight.peek().ack().isDone())) {
            InFlight f = inFlight.poll();
            try {
                f.ack().get(2, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Kafka refused " + f.what() + " on topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("no acknowledgement for " + f.what() + " on topic " + topic + " within 2 minutes", e);
            }
        }
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return;
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
            if (Thread.interrupted()) throw new InterruptedException("publishing interrupted");
        }
    }
}
