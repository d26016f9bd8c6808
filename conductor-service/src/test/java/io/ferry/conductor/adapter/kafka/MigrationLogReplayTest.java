package io.ferry.conductor.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.conductor.domain.Instance;
import io.ferry.conductor.domain.Migration;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.codec.WriterSchemas;
import io.ferry.schemas.migration.MigrationRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.ferry.schemas.NewerWriter;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The replay decodes as the listeners do: a newer compatible writer's record is read through the registry. */
class MigrationLogReplayTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void replaysARecordOfANewerCompatibleWriterFoundInTheSchemaRegistry() throws Exception {
        // given a migration record as a newer conductor wrote it (one more field, with a default), announced
        MigrationRecord written = aRecord("m-newer");
        Schema newer = NewerWriter.schema(written.getSchema(), "addedByTheReplayTest");
        byte[] bytes = NewerWriter.encode(newer, written, "addedByTheReplayTest");
        long fingerprint = FerryCodec.fingerprint(newer);
        WriterSchemas registry = fp -> fp == fingerprint ? Optional.of(newer) : Optional.empty();
        List<SpecificRecordBase> applied = new ArrayList<>();

        // when
        boolean read = new MigrationLogReplay(null, Duration.ofSeconds(1), registry)
                .apply(record(bytes), applied::add, key -> { });

        // then it is applied as this build's class, the extra field skipped
        assertThat(read).isTrue();
        assertThat(applied).containsExactly(written);
        assertThat(ConductorMessages.migration((MigrationRecord) applied.getFirst()).uuid()).isEqualTo("m-newer");
    }

    @Test
    void skipsARecordOfAWriterNobodyAnnounced() throws Exception {
        // given a newer writer's record whose schema the registry does not hold
        MigrationRecord written = aRecord("m-unknown");
        Schema newer = NewerWriter.schema(written.getSchema(), "neverAnnouncedField");
        List<SpecificRecordBase> applied = new ArrayList<>();

        // when
        boolean read = new MigrationLogReplay(null, Duration.ofSeconds(1), WriterSchemas.NONE)
                .apply(record(NewerWriter.encode(newer, written, "neverAnnouncedField")), applied::add, key -> { });

        // then
        assertThat(read).isFalse();
        assertThat(applied).isEmpty();
    }

    @Test
    void aRegistryThatCannotBeReadFailsTheReplayInsteadOfSkippingTheRecord() throws Exception {
        // given a newer writer's record and a registry whose topic cannot be read
        MigrationRecord written = aRecord("m-registry-down");
        Schema newer = NewerWriter.schema(written.getSchema(), "registryDownField");
        WriterSchemas down = fp -> {
            throw new IllegalStateException("cannot read ferry.schemas");
        };

        // when / then: no partial view
        assertThatThrownBy(() -> new MigrationLogReplay(null, Duration.ofSeconds(1), down)
                .apply(record(NewerWriter.encode(newer, written, "registryDownField")), r -> { }, key -> { }))
                .hasMessageContaining("cannot read ferry.schemas");
    }

    @Test
    void aTombstoneForgetsTheMigration() {
        List<String> forgotten = new ArrayList<>();
        boolean read = new MigrationLogReplay(null, Duration.ofSeconds(1), WriterSchemas.NONE)
                .apply(new ConsumerRecord<>(Topics.MIGRATIONS, 0, 7, "m-gone", null), r -> { }, forgotten::add);
        assertThat(read).isFalse();
        assertThat(forgotten).containsExactly("m-gone");
    }

    private static MigrationRecord aRecord(String uuid) {
        Migration m = Migration.queued(1, uuid, new Instance("vm-1", "vm", 4096, 2, 20, "p", "u"), "compute-a", null,
                false, false, T0);
        return ConductorMessages.record(m, null, null);
    }

    private static ConsumerRecord<String, byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.MIGRATIONS, 0, 3, "key", value);
    }
}
