package io.minkstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class PackedIntsTest {

    @Test
    void encodesLittleEndianInt32() {
        ByteBuffer packed = PackedInts.encode(new int[] {1, -2, 0x01020304});

        assertThat(PackedFloatsTest.toArray(packed))
                .containsExactly(1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 4, 3, 2, 1);
    }

    @Test
    void roundTripsCoordinatesWithNegatives() {
        int[] coords = {0, 0, 0, 0, -5, 7, Integer.MIN_VALUE, Integer.MAX_VALUE};

        assertThat(PackedInts.decode(PackedInts.encode(coords), "coordinates", coords.length)).containsExactly(coords);
        assertThat(PackedInts.get(PackedInts.encode(coords), 4)).isEqualTo(-5);
    }

    @Test
    void decodeIntoWritesAtTheOffset() {
        int[] dst = new int[5];

        PackedInts.decodeInto(PackedInts.encode(new int[] {7, 8}), "labels", 2, dst, 3);

        assertThat(dst).containsExactly(0, 0, 0, 7, 8);
    }

    @Test
    void lengthMismatchNamesFieldExpectedAndFoundBytes() {
        assertThatThrownBy(() -> PackedInts.decode(PackedInts.encode(new int[3]), "labels", 4))
                .isInstanceOf(PackedLengthException.class)
                .hasMessage("labels: expected 16 bytes (4 int32), found 12");
        assertThatThrownBy(() -> PackedInts.count(ByteBuffer.allocate(6), "coordinates"))
                .isInstanceOf(PackedLengthException.class)
                .hasMessageContaining("coordinates").hasMessageContaining("found 6");
    }
}
