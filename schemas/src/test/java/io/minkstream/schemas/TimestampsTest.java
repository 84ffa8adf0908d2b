package io.minkstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void microsRoundTripIncludingBeforeTheEpoch() {
        for (long micros : new long[] {0, 1, -1, 1_795_262_400_123_456L, -62_135_596_800_000_000L}) {
            assertThat(Timestamps.toMicros(Timestamps.fromMicros(micros))).isEqualTo(micros);
        }
        assertThat(Timestamps.fromMicros(-1)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
    }

    @Test
    void subMicrosecondDigitsAreDropped() {
        assertThat(Timestamps.toMicros(Instant.ofEpochSecond(2, 1_999))).isEqualTo(2_000_001L);
    }
}
