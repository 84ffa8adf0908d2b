package io.minkstream.jobs.pipeline;

import io.minkstream.operators.decode.DecodeFunction;
import io.minkstream.operators.decode.RawFrame;
import io.minkstream.operators.inference.DefaultInferenceFactory;
import io.minkstream.operators.voxel.Voxelizer;
import io.minkstream.operators.window.SpatioTemporalWindow;
import io.minkstream.schemas.AvroTypes;
import io.minkstream.schemas.RejectedFrame;
import io.minkstream.schemas.SingleObjectSerializationSchema;
import io.minkstream.schemas.SourcedSensorFrame;
import io.minkstream.schemas.SparseFeatureFrame;
import io.minkstream.schemas.Timestamps;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Kafka-to-Kafka job: Avro sensor frames in, decode and validate (bad ones to the dead-letter
 * topic), event-time watermarks, keyed by sensor into the sliding 4-D window with its network,
 * feature frames out, exactly once (Kafka transactions committed on checkpoints).
 */
public final class MinkstreamPipeline {
    /** Must stay below the broker's transaction.max.timeout.ms (15 min by default). */
    static final String TRANSACTION_TIMEOUT_MS = "600000";

    private MinkstreamPipeline() {
    }

    public static void build(StreamExecutionEnvironment env, JobOptions o) {
        build(env, o, UnaryOperator.identity());
    }

    /**
     * As {@link #build(StreamExecutionEnvironment, JobOptions)}, with {@code beforeWindow} applied to
     * the validated frames before they are keyed (fault-injection tests insert a failing step here).
     */
    public static void build(StreamExecutionEnvironment env, JobOptions o, UnaryOperator<DataStream<SourcedSensorFrame>> beforeWindow) {
        DataStream<RawFrame> raw = env.fromSource(source(o), WatermarkStrategy.noWatermarks(), "kafka: " + o.inputTopic).uid("kafka-source");
        SingleOutputStreamOperator<SourcedSensorFrame> decoded = raw
                .process(new DecodeFunction(o.decode)).returns(AvroTypes.sourcedSensorFrame())
                .uid("decode").name("decode + validate");
        WatermarkStrategy<SourcedSensorFrame> watermarks = WatermarkStrategy
                .<SourcedSensorFrame>forBoundedOutOfOrderness(Duration.ofMillis(o.outOfOrdernessMillis))
                .withTimestampAssigner((f, previous) -> Timestamps.toMillis(f.getFrame().getTimestamp()))
                .withIdleness(Duration.ofSeconds(10));
        SingleOutputStreamOperator<SparseFeatureFrame> features = beforeWindow.apply(decoded)
                .assignTimestampsAndWatermarks(watermarks).uid("watermarks").name("event time")
                .keyBy(f -> f.getFrame().getSensorId(), Types.STRING)
                .process(new SpatioTemporalWindow(o.window, new Voxelizer(o.voxelizer),
                        new DefaultInferenceFactory(o.model, o.device, o.windowMode, o.cacheBudgetBytes)))
                .returns(AvroTypes.sparseFeatureFrame())
                .uid("window").name("spatio-temporal window: " + o.model.name());
        features.sinkTo(sink(o, o.outputTopic, "features", SingleObjectSerializationSchema.sparseFeatureFrames(),
                SparseFeatureFrame::getSensorId)).uid("kafka-sink-features").name("kafka: " + o.outputTopic);
        decoded.getSideOutput(DecodeFunction.REJECTED)
                .union(features.getSideOutput(SpatioTemporalWindow.REJECTED))
                .sinkTo(sink(o, o.deadLetterTopic, "dlq", SingleObjectSerializationSchema.rejectedFrames(),
                        r -> r.getSensorId() == null ? null : r.getSensorId()))
                .uid("kafka-sink-dlq").name("kafka: " + o.deadLetterTopic);
    }

    private static KafkaSource<RawFrame> source(JobOptions o) {
        KafkaSourceBuilder<RawFrame> b = KafkaSource.<RawFrame>builder()
                .setBootstrapServers(o.bootstrapServers)
                .setTopics(o.inputTopic)
                .setGroupId(o.groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawFrameDeserializer())
                .setProperty("isolation.level", "read_committed");
        o.kafkaProperties.forEach(b::setProperty);
        if (o.bounded) b.setBounded(OffsetsInitializer.latest());
        return b.build();
    }

    private static <T> KafkaSink<T> sink(JobOptions o, String topic, String suffix, org.apache.flink.api.common.serialization.SerializationSchema<T> value,
                                         org.apache.flink.util.function.SerializableFunction<T, String> key) {
        KafkaRecordSerializationSchema<T> serializer = new KeyedRecordSerializer<>(topic, key, value);
        var b = KafkaSink.<T>builder()
                .setBootstrapServers(o.bootstrapServers)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(o.transactionalIdPrefix + "-" + suffix)
                .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        o.kafkaProperties.forEach(b::setProperty);
        return b.build();
    }
}
