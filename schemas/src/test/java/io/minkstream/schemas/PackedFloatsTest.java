package io.minkstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class PackedFloatsTest {

    @Test
    void encodesLittleEndianFloat32() {
        ByteBuffer packed = PackedFloats.encode(new float[] {1.0f, -2.0f});

        // 1.0f = 0x3F800000, -2.0f = 0xC0000000, least significant byte first.
        assertThat(toArray(packed)).containsExactly(0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0);
    }

    @Test
    void roundTripsIncludingSpecialValues() {
        float[] values = {0f, -0f, 1.5f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY};

        assertThat(PackedFloats.decode(PackedFloats.encode(values), "features", values.length)).containsExactly(values);
    }

    @Test
    void encodesASliceOfAnArray() {
        ByteBuffer packed = PackedFloats.encode(new float[] {9, 1, 2, 3, 9}, 1, 3);

        assertThat(PackedFloats.decode(packed, "positions", 3)).containsExactly(1, 2, 3);
    }

    @Test
    void decodesFromTheBufferPositionAndLeavesTheBufferUntouched() {
        ByteBuffer packed = ByteBuffer.allocate(4 + 8).order(ByteOrder.BIG_ENDIAN);
        packed.put(new byte[] {7, 7, 7, 7}).put(PackedFloats.encode(new float[] {3.25f, -8f}));
        packed.position(4);

        float[] dst = new float[4];
        PackedFloats.decodeInto(packed, "features", 2, dst, 1);

        assertThat(dst).containsExactly(0f, 3.25f, -8f, 0f);
        assertThat(PackedFloats.get(packed, 1)).isEqualTo(-8f);
        assertThat(packed.position()).isEqualTo(4);
        assertThat(packed.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
    }

    @Test
    void decodesDirectAndSlicedBuffers() {
        ByteBuffer direct = ByteBuffer.allocateDirect(12);
        direct.put(PackedFloats.encode(new float[] {1f, 2f, 3f})).flip();
        ByteBuffer slice = ByteBuffer.wrap(PackedFloats.encode(new float[] {0f, 4f, 5f}).array()).position(4).slice();

        assertThat(PackedFloats.decode(direct, "positions", 3)).containsExactly(1f, 2f, 3f);
        assertThat(PackedFloats.decode(slice, "positions", 2)).containsExactly(4f, 5f);
        assertThat(PackedFloats.count(slice, "positions")).isEqualTo(2);
    }

    @Test
    void lengthMismatchNamesFieldExpectedAndFoundBytes() {
        ByteBuffer packed = ByteBuffer.allocate(1196);

        assertThatThrownBy(() -> PackedFloats.decode(packed, "positions", 300))
                .isInstanceOfSatisfying(PackedLengthException.class, e -> {
                    assertThat(e.field()).isEqualTo("positions");
                    assertThat(e.expectedBytes()).isEqualTo(1200);
                    assertThat(e.foundBytes()).isEqualTo(1196);
                })
                .hasMessage("positions: expected 1200 bytes (300 float32), found 1196");
    }

    @Test
    void countRejectsAPartialElement() {
        assertThatThrownBy(() -> PackedFloats.count(ByteBuffer.allocate(7), "features"))
                .isInstanceOf(PackedLengthException.class)
                .hasMessageContaining("features").hasMessageContaining("multiple of 4").hasMessageContaining("found 7");
    }

    @Test
    void anOverflowingExpectedCountIsALengthErrorNotAWrap() {
        // pointCount * featureChannels from an untrusted record may exceed int range.
        long expected = 100_000L * 100_000L;

        assertThatThrownBy(() -> PackedFloats.requireCount(ByteBuffer.allocate(16), "features", expected))
                .isInstanceOf(PackedLengthException.class).hasMessageContaining("features");
        assertThatThrownBy(() -> PackedFloats.requireCount(ByteBuffer.allocate(0), "features", -1))
                .isInstanceOf(PackedLengthException.class);
    }

    @Test
    void decodeIntoChecksTheDestinationRange() {
        ByteBuffer packed = PackedFloats.encode(new float[] {1, 2, 3});

        assertThatThrownBy(() -> PackedFloats.decodeInto(packed, "positions", 3, new float[4], 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    static int[] toArray(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        int[] out = new int[view.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = view.get() & 0xFF;
        }
        return out;
    }
}
