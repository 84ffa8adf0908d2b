package io.minkstream.operators.metrics;

import io.minkstream.schemas.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** One {@code framesRejected} counter per reason, under the metric group {@code reason=<REASON>}. */
public final class RejectionCounters {
    private final Map<RejectReason, Counter> counters = new EnumMap<>(RejectReason.class);

    public RejectionCounters(MetricGroup group) {
        for (RejectReason r : RejectReason.values()) {
            counters.put(r, group.addGroup("reason", r.name()).counter("framesRejected"));
        }
    }

    public void count(RejectReason reason) {
        counters.get(reason).inc();
    }
}
