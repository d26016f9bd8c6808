package io.ferry.schemas.codec;

import io.ferry.schemas.MessageTypes;
import io.ferry.schemas.compat.SchemaHistory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The one wire format of Ferry: Avro single-object encoding ({@code C3 01}, the writer schema's 64-bit
 * fingerprint, then the binary body). A reader knows exactly which writer schema it reads: the current one or any
 * earlier version kept in {@link SchemaHistory}, resolved to the current class; any other fingerprint is refused.
 */
public final class FerryCodec {

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int HEADER_LENGTH = 10;

    private record Reader(Class<? extends SpecificRecordBase> type, BinaryMessageDecoder<SpecificRecordBase> decoder) {
    }

    private static final Map<Class<?>, BinaryMessageEncoder<SpecificRecordBase>> ENCODERS = new HashMap<>();
    private static final Map<Long, Reader> READERS = new HashMap<>();

    static {
        trustGeneratedClasses();
        for (Class<? extends SpecificRecordBase> type : MessageTypes.ALL) {
            Schema schema = SpecificData.get().getSchema(type);
            SpecificData model = SpecificData.getForClass(type);
            ENCODERS.put(type, new BinaryMessageEncoder<>(model, schema));
            BinaryMessageDecoder<SpecificRecordBase> decoder = new BinaryMessageDecoder<>(model, schema);
            Reader reader = new Reader(type, decoder);
            READERS.put(fingerprint(schema), reader);
            for (Schema old : SchemaHistory.versions(schema.getFullName())) {
                decoder.addSchema(old);
                READERS.put(fingerprint(old), reader);
            }
        }
    }

    private FerryCodec() {
    }

    /** Lets Avro instantiate Ferry's generated classes (Avro 1.12 refuses untrusted classes). */
    public static void trustGeneratedClasses() {
        ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                type -> type.getName().startsWith("io.ferry.schemas."), current));
    }

    /** The 64-bit parsing fingerprint that single-object encoding writes in the header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** Encodes a Ferry message. */
    public static byte[] encode(SpecificRecordBase message) {
        BinaryMessageEncoder<SpecificRecordBase> encoder = ENCODERS.get(message.getClass());
        if (encoder == null) {
            throw new IllegalArgumentException("not a Ferry message type: " + message.getClass().getName());
        }
        try {
            ByteBuffer buffer = encoder.encode(message);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** Decodes any Ferry message. */
    public static SpecificRecordBase decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_LENGTH || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new PoisonMessageException(PoisonMessageException.Reason.MALFORMED,
                    "not Avro single-object encoding (" + (bytes == null ? "null" : bytes.length + " bytes") + ")");
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Reader reader = READERS.get(fingerprint);
        if (reader == null) {
            throw new PoisonMessageException(PoisonMessageException.Reason.UNKNOWN_SCHEMA,
                    "unknown writer schema fingerprint " + Long.toHexString(fingerprint));
        }
        try {
            return reader.decoder().decode(new ByteArrayInputStream(bytes), null);
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException(PoisonMessageException.Reason.MALFORMED,
                    "body does not match " + reader.type().getSimpleName() + ": " + e, e);
        }
    }

    /** Decodes a message that must be one of {@code allowed} (the types a topic carries). */
    public static SpecificRecordBase decode(byte[] bytes, Set<Class<? extends SpecificRecordBase>> allowed) {
        SpecificRecordBase message = decode(bytes);
        if (!allowed.contains(message.getClass())) {
            throw new PoisonMessageException(PoisonMessageException.Reason.UNEXPECTED_TYPE,
                    message.getClass().getSimpleName() + " is not carried by this topic");
        }
        return message;
    }
}
