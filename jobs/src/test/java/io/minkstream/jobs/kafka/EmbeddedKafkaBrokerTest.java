package io.minkstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The broker configuration, without starting a broker. */
class EmbeddedKafkaBrokerTest {

    private static final Path DIR = Path.of("/tmp/kafka-test");

    @Test
    void singleNodeSettingsLetTransactionsAndGroupsWorkWithOneBroker() {
        Properties p = EmbeddedKafkaBroker.builder().brokerProperties(DIR, 19092, 19093);

        assertThat(p).containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@localhost:19093")
                .containsEntry("listeners", "PLAINTEXT://localhost:19092,CONTROLLER://localhost:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://localhost:19092")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("metadata.log.dir", DIR.resolve("metadata").toString())
                .containsEntry("log.dirs", DIR.resolve("logs").toString());
        // Flink's exactly-once sink opens transactions of up to 15 minutes.
        assertThat(Long.parseLong(p.getProperty("transaction.max.timeout.ms")))
                .isGreaterThanOrEqualTo(TimeUnit.MINUTES.toMillis(15));
    }

    @Test
    void overridesWin() {
        Properties p = EmbeddedKafkaBroker.builder()
                .property("num.partitions", "6")
                .property("log.retention.ms", "60000")
                .brokerProperties(DIR, 1, 2);

        assertThat(p).containsEntry("num.partitions", "6").containsEntry("log.retention.ms", "60000");
    }

    @Test
    void rejectsOutOfRangePorts() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().brokerPort(70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("brokerPort").hasMessageContaining("70000");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().controllerPort(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("controllerPort");
    }
}
