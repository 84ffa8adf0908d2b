package io.minkstream.operators.decode;

import io.minkstream.schemas.RejectReason;
import io.minkstream.schemas.RejectedFrame;
import java.nio.ByteBuffer;

/** Why a frame was refused: a reason code for machines and a message for people. */
public record Rejection(RejectReason reason, String message) {

    /** The dead-letter record for this rejection. */
    public RejectedFrame toRecord(byte[] raw, String topic, int partition, long offset, String sensorId, Long sequence) {
        return RejectedFrame.newBuilder()
                .setRaw(ByteBuffer.wrap(raw == null ? new byte[0] : raw))
                .setSourceTopic(topic == null ? "" : topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setSensorId(sensorId)
                .setSequence(sequence)
                .setReason(reason)
                .setMessage(message)
                .setRejectedAtMicros(System.currentTimeMillis() * 1000L)
                .build();
    }
}
