package io.minkstream.schemas;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Flink type information for the records, so that operators declare them explicitly
 * ({@code .returns(AvroTypes.sensorFrame())}) and Flink serializes them with its Avro serializer,
 * which has a versioned snapshot and supports schema evolution in state, instead of falling back to Kryo.
 */
public final class AvroTypes {

    private AvroTypes() {
    }

    public static TypeInformation<SensorFrame> sensorFrame() {
        return new AvroTypeInfo<>(SensorFrame.class);
    }

    public static TypeInformation<SparseFeatureFrame> sparseFeatureFrame() {
        return new AvroTypeInfo<>(SparseFeatureFrame.class);
    }

    public static TypeInformation<SourcedSensorFrame> sourcedSensorFrame() {
        return new AvroTypeInfo<>(SourcedSensorFrame.class);
    }

    public static TypeInformation<RejectedFrame> rejectedFrame() {
        return new AvroTypeInfo<>(RejectedFrame.class);
    }
}
