package io.minkstream.jobs.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScanFrameTest {

    private static final float[] TWO_POINTS = {1, 2, 3, 4, 5, 6};

    @Test
    void equalityComparesArrayContents() {
        ScanFrame a = new ScanFrame("lidar-0", 3, 300, TWO_POINTS.clone(), new float[] {0.1f, 0.2f}, 1, null,
                new int[] {0, 1});
        ScanFrame b = new ScanFrame("lidar-0", 3, 300, TWO_POINTS.clone(), new float[] {0.1f, 0.2f}, 1, null,
                new int[] {0, 1});
        ScanFrame otherLabel = new ScanFrame("lidar-0", 3, 300, TWO_POINTS.clone(), new float[] {0.1f, 0.2f}, 1,
                null, new int[] {1, 1});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(otherLabel);
        assertThat(a.pointCount()).isEqualTo(2);
        assertThat(a.withTimestampMicros(999).timestampMicros()).isEqualTo(999);
        assertThat(a.withTimestampMicros(999).positions()).isSameAs(a.positions());
        assertThat(a.toString()).contains("lidar-0").contains("pointCount=2");
    }

    @Test
    void inconsistentLengthsAreRejectedNamingFrameAndField() {
        assertThatThrownBy(() -> new ScanFrame("s", 7, 0, new float[5], new float[0], 0, null, null))
                .hasMessageContaining("frame s#7").hasMessageContaining("positions.length must be a multiple of 3, was 5");
        assertThatThrownBy(() -> new ScanFrame("s", 7, 0, TWO_POINTS, new float[3], 1, null, null))
                .hasMessageContaining("features.length must be 2 points x 1 channels = 2, was 3");
        assertThatThrownBy(() -> new ScanFrame("s", 7, 0, TWO_POINTS, new float[2], 1, new float[12], null))
                .hasMessageContaining("pose must hold 16 floats");
        assertThatThrownBy(() -> new ScanFrame("s", 7, 0, TWO_POINTS, new float[2], 1, null, new int[3]))
                .hasMessageContaining("labels.length must equal pointCount 2, was 3");
        assertThatThrownBy(() -> new ScanFrame("s", 7, 0, TWO_POINTS, new float[0], -1, null, null))
                .hasMessageContaining("featureChannels must be >= 0, was -1");
    }
}
