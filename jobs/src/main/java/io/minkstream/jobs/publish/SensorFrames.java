package io.minkstream.jobs.publish;

import io.minkstream.jobs.sensor.ScanFrame;
import io.minkstream.schemas.PackedFloats;
import io.minkstream.schemas.PackedInts;
import io.minkstream.schemas.SensorFrame;
import io.minkstream.schemas.Timestamps;

/** Wraps plain scans into the Avro records that travel on Kafka. */
public final class SensorFrames {
    private SensorFrames() {
    }

    public static SensorFrame toAvro(ScanFrame s) {
        return SensorFrame.newBuilder()
                .setSensorId(s.sensorId())
                .setSequence(s.sequence())
                .setTimestamp(Timestamps.fromMicros(s.timestampMicros()))
                .setPointCount(s.positions().length / 3)
                .setFeatureChannels(s.featureChannels())
                .setPositions(PackedFloats.encode(s.positions()))
                .setFeatures(PackedFloats.encode(s.features()))
                .setPose(s.pose() == null ? null : PackedFloats.encode(s.pose()))
                .setLabels(s.labels() == null ? null : PackedInts.encode(s.labels()))
                .build();
    }

    /** The single-object encoded bytes of a frame, as they go on Kafka. */
    public static byte[] encode(SensorFrame frame) {
        try {
            java.nio.ByteBuffer b = frame.toByteBuffer();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot encode frame " + frame.getSensorId() + "#" + frame.getSequence(), e);
        }
    }
}
