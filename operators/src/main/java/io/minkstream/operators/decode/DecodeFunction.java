package io.minkstream.operators.decode;

import io.minkstream.operators.metrics.RejectionCounters;
import io.minkstream.schemas.DecodeResult;
import io.minkstream.schemas.RejectedFrame;
import io.minkstream.schemas.SensorFrame;
import io.minkstream.schemas.SensorFrameDecoder;
import io.minkstream.schemas.SourcedSensorFrame;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes Kafka values into frames and validates them. Anything wrong goes to the
 * {@link #REJECTED} side output with a reason; the stream never fails on bad input.
 */
public final class DecodeFunction extends ProcessFunction<RawFrame, SourcedSensorFrame> {
    private static final long serialVersionUID = 1L;

    /** Dead-letter side output: frames that could not be decoded or failed validation. */
    public static final OutputTag<RejectedFrame> REJECTED = new OutputTag<>("rejected-frames",
            io.minkstream.schemas.AvroTypes.rejectedFrame());

    private final FrameValidator validator;
    private transient SensorFrameDecoder decoder;
    private transient Counter framesIn;
    private transient RejectionCounters rejections;

    public DecodeFunction(DecodeOptions options) {
        this.validator = new FrameValidator(options);
    }

    @Override
    public void open(OpenContext context) {
        decoder = new SensorFrameDecoder();
        framesIn = getRuntimeContext().getMetricGroup().counter("framesIn");
        rejections = new RejectionCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(RawFrame raw, Context ctx, Collector<SourcedSensorFrame> out) {
        framesIn.inc();
        DecodeResult<SensorFrame> decoded = decoder.decode(raw.value);
        if (!decoded.isDecoded()) {
            reject(ctx, raw, new Rejection(decoded.failure().reason(), decoded.failure().message()), null, null);
            return;
        }
        SensorFrame frame = decoded.value();
        Optional<Rejection> problem = validator.validate(frame, System.currentTimeMillis() * 1000L);
        if (problem.isPresent()) {
            String id = frame.getSensorId() == null || frame.getSensorId().isBlank() ? null : frame.getSensorId();
            reject(ctx, raw, problem.get(), id, frame.getSequence());
            return;
        }
        out.collect(new SourcedSensorFrame(frame, raw.topic, raw.partition, raw.offset, raw.ingestMicros));
    }

    private void reject(Context ctx, RawFrame raw, Rejection r, String sensorId, Long sequence) {
        rejections.count(r.reason());
        ctx.output(REJECTED, r.toRecord(raw.value, raw.topic, raw.partition, raw.offset, sensorId, sequence));
    }
}
