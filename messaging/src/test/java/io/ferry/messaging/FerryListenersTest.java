package io.ferry.messaging;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.schemas.codec.PoisonMessageException;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class FerryListenersTest {

    private static ConsumerRecord<String, byte[]> aRecord(int keyBytes, int valueBytes) {
        return new ConsumerRecord<>("ferry.host.events", 0, 7L, 0L, TimestampType.CREATE_TIME, keyBytes, valueBytes,
                "k", new byte[valueBytes], new RecordHeaders(), Optional.empty());
    }

    @Test
    void refusesARecordLargerThanTheLimitAsOversizedBeforeDecoding() {
        assertThatThrownBy(() -> FerryListeners.checkSize(aRecord(10, 1000), 1000))
                .isInstanceOfSatisfying(PoisonMessageException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.reason())
                            .isEqualTo(PoisonMessageException.Reason.OVERSIZED);
                    org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("1010 bytes")
                            .contains("ferry.kafka.max-record-bytes=1000");
                });
    }

    @Test
    void acceptsARecordAtTheLimitAndCountsANullKeyAsNothing() {
        assertThatCode(() -> FerryListeners.checkSize(aRecord(0, 1000), 1000)).doesNotThrowAnyException();
        assertThatCode(() -> FerryListeners.checkSize(aRecord(-1, 1000), 1000)).doesNotThrowAnyException();
    }
}
