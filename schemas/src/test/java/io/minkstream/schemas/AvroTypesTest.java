package io.minkstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.junit.jupiter.api.Test;

class AvroTypesTest {

    @Test
    void sensorFrameTravelsThroughFlinksAvroSerializer() throws Exception {
        SensorFrame frame = SampleRecords.sensorFrame("lidar-0", 12, 50);

        assertThat(roundTrip(AvroTypes.sensorFrame(), frame)).isEqualTo(frame);
    }

    @Test
    void sparseFeatureFrameTravelsThroughFlinksAvroSerializer() throws Exception {
        SparseFeatureFrame frame = SampleRecords.sparseFeatureFrame();

        assertThat(roundTrip(AvroTypes.sparseFeatureFrame(), frame)).isEqualTo(frame);
    }

    @Test
    void rejectedFrameTravelsThroughFlinksAvroSerializer() throws Exception {
        RejectedFrame rejected = SampleRecords.rejectedFrame();
        rejected.setSensorId(null);
        rejected.setSequence(null);

        assertThat(roundTrip(AvroTypes.rejectedFrame(), rejected)).isEqualTo(rejected);
    }

    private static <T> T roundTrip(TypeInformation<T> type, T value) throws Exception {
        TypeSerializer<T> serializer = type.createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isInstanceOf(AvroSerializer.class);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        T copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(serializer.copy(value)).isEqualTo(value);
        return copy;
    }
}
