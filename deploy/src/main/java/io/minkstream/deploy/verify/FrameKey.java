package io.minkstream.deploy.verify;

/** One frame of one sensor: what exactly-once means "exactly one output for". */
public record FrameKey(String sensorId, long sequence) implements Comparable<FrameKey> {

    @Override
    public int compareTo(FrameKey o) {
        int c = sensorId.compareTo(o.sensorId);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    @Override
    public String toString() {
        return sensorId + "#" + sequence;
    }
}
