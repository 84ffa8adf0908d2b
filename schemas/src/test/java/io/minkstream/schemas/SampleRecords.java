package io.minkstream.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Small, fully populated records with known values, for the tests of this module. */
final class SampleRecords {

    static final Instant T0 = Instant.parse("2026-11-21T12:00:00.123456Z");

    private SampleRecords() {
    }

    static SensorFrame sensorFrame(String sensorId, long sequence, int points) {
        float[] xyz = new float[points * 3];
        float[] intensity = new float[points];
        int[] labels = new int[points];
        for (int i = 0; i < points; i++) {
            xyz[3 * i] = i * 0.5f;
            xyz[3 * i + 1] = -i * 0.25f;
            xyz[3 * i + 2] = 1.75f;
            intensity[i] = i / (float) Math.max(1, points);
            labels[i] = i % 2;
        }
        float[] pose = {1, 0, 0, 10, 0, 1, 0, -2, 0, 0, 1, 0.5f, 0, 0, 0, 1};
        return SensorFrame.newBuilder()
                .setSensorId(sensorId)
                .setSequence(sequence)
                .setTimestamp(T0.plusMillis(100 * sequence))
                .setPointCount(points)
                .setFeatureChannels(1)
                .setPositions(PackedFloats.encode(xyz))
                .setFeatures(PackedFloats.encode(intensity))
                .setPose(PackedFloats.encode(pose))
                .setLabels(PackedInts.encode(labels))
                .build();
    }

    static SparseFeatureFrame sparseFeatureFrame() {
        int[] coords = {0, 0, 0, 0, 2, -4, 6, 1, -8, 10, 12, 2};
        float[] features = {0.5f, -1.5f, 2.5f, -3.5f, 4.5f, -5.5f};
        return SparseFeatureFrame.newBuilder()
                .setSensorId("velodyne-front")
                .setSequence(42)
                .setFrameTimestamp(T0)
                .setWindowFirstSequence(40)
                .setWindowLastSequence(42)
                .setFramesInWindow(3)
                .setTensorStride(2)
                .setCoordinates(PackedInts.encode(coords))
                .setFeatures(PackedFloats.encode(features))
                .setChannels(2)
                .setRowCount(3)
                .setLabels(PackedInts.encode(new int[] {1, 0, 1}))
                .setProcessingLatencyMicros(1_234)
                .setVoxelSizeX(0.1f)
                .setVoxelSizeY(0.1f)
                .setVoxelSizeZ(0.2f)
                .build();
    }

    static RejectedFrame rejectedFrame() {
        return RejectedFrame.newBuilder()
                .setRaw(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 0xC3}))
                .setSourceTopic("sensor-frames")
                .setSourcePartition(3)
                .setSourceOffset(987_654_321L)
                .setSensorId("velodyne-front")
                .setSequence(7L)
                .setReason(RejectReason.BUFFER_LENGTH_MISMATCH)
                .setMessage("positions: expected 1200 bytes (300 float32), found 1196")
                .setRejectedAtMicros(Timestamps.toMicros(T0))
                .build();
    }

    /** One of each record type, for tests that cover all of them. */
    static List<org.apache.avro.specific.SpecificRecordBase> oneOfEach() {
        return List.of(sensorFrame("lidar-0", 5, 100), sparseFeatureFrame(), rejectedFrame());
    }
}
