package io.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.codec.PoisonMessageException;
import io.ferry.schemas.codec.PoisonMessageException.Reason;
import io.ferry.schemas.migration.BlockMigration;
import io.ferry.schemas.migration.LiveMigrate;
import io.ferry.schemas.migration.MigrationRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FerryCodecTest {

    private static LiveMigrate aLiveMigrate() {
        return LiveMigrate.newBuilder()
                .setEnvelope(Envelopes.of("m-1", null, 1_700_000_000_000L, "test"))
                .setMigrationUuid("m-1").setInstanceUuid("i-1").setTargetHost(null)
                .setBlockMigration(BlockMigration.AUTO).build();
    }

    @Test
    void roundTripsAMessageAndTellsItsType() {
        // given
        LiveMigrate message = aLiveMigrate();

        // when
        byte[] bytes = FerryCodec.encode(message);

        // then the payload names its writer schema by fingerprint
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(FerryCodec.fingerprint(LiveMigrate.getClassSchema()));
        assertThat(FerryCodec.decode(bytes)).isEqualTo(message);
    }

    @Test
    void refusesGarbageAsMalformed() {
        assertThatThrownBy(() -> FerryCodec.decode("not avro at all".getBytes()))
                .isInstanceOfSatisfying(PoisonMessageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    @Test
    void refusesAnUnknownWriterSchema() {
        // given a valid header with a fingerprint no kept schema has
        byte[] bytes = FerryCodec.encode(aLiveMigrate());
        ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x1234_5678_9abc_def0L);

        // when / then
        assertThatThrownBy(() -> FerryCodec.decode(bytes))
                .isInstanceOfSatisfying(PoisonMessageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA));
    }

    @Test
    void refusesATruncatedBody() {
        byte[] bytes = FerryCodec.encode(aLiveMigrate());
        byte[] truncated = Arrays.copyOf(bytes, 14);

        assertThatThrownBy(() -> FerryCodec.decode(truncated))
                .isInstanceOfSatisfying(PoisonMessageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    @Test
    void refusesATypeTheTopicDoesNotCarry() {
        byte[] bytes = FerryCodec.encode(aLiveMigrate());

        assertThatThrownBy(() -> FerryCodec.decode(bytes, Set.of(MigrationRecord.class)))
                .isInstanceOfSatisfying(PoisonMessageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_TYPE));
    }

    @Test
    void hostCommandTopicsAreNamedPerHostAndRecognised() {
        assertThat(Topics.hostCommands("compute-1")).isEqualTo("ferry.host.compute-1.commands");
        assertThat(Topics.hostOfCommandTopic("ferry.host.compute-1.commands")).isEqualTo("compute-1");
        assertThat(Topics.hostOfCommandTopic(Topics.HOST_EVENTS)).isNull();
        assertThatThrownBy(() -> Topics.hostCommands("../etc")).isInstanceOf(IllegalArgumentException.class);
    }
}
