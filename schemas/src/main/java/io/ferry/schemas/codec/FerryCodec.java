package io.ferry.schemas.codec;

import io.ferry.schemas.MessageTypes;
import io.ferry.schemas.compat.SchemaHistory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The one wire format of Ferry: Avro single-object encoding ({@code C3 01}, the writer schema's 64-bit
 * fingerprint, then the binary body). A reader knows exactly which writer schema it reads: the current one or any
 * earlier version kept in {@link SchemaHistory}, resolved to the current class. Any other fingerprint (a newer
 * writer) is looked up in the {@link WriterSchemas} the caller passes (the schemas announced on
 * {@code ferry.schemas}); a writer schema found there and readable by the current class is learned for good. A
 * fingerprint found nowhere, or a writer schema the reader cannot read, is refused.
 */
public final class FerryCodec {

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int HEADER_LENGTH = 10;

    private record Reader(Class<? extends SpecificRecordBase> type, BinaryMessageDecoder<SpecificRecordBase> decoder) {
    }

    private static final Map<Class<?>, BinaryMessageEncoder<SpecificRecordBase>> ENCODERS = new HashMap<>();
    /** Known writer fingerprints: the build's schemas and history (fixed), and writer schemas learned since. */
    private static final Map<Long, Reader> READERS = new ConcurrentHashMap<>();
    /** The reader of each message type, by the schema's full name. */
    private static final Map<String, Class<? extends SpecificRecordBase>> TYPES = new HashMap<>();

    static {
        trustGeneratedClasses();
        for (Class<? extends SpecificRecordBase> type : MessageTypes.ALL) {
            Schema schema = SpecificData.get().getSchema(type);
            SpecificData model = SpecificData.getForClass(type);
            ENCODERS.put(type, new BinaryMessageEncoder<>(model, schema));
            BinaryMessageDecoder<SpecificRecordBase> decoder = new BinaryMessageDecoder<>(model, schema);
            Reader reader = new Reader(type, decoder);
            READERS.put(fingerprint(schema), reader);
            TYPES.put(schema.getFullName(), type);
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

    /** The current schemas of every Ferry message type: what a writer of this build announces. */
    public static java.util.List<Schema> currentSchemas() {
        return MessageTypes.ALL.stream().map(type -> SpecificData.get().getSchema(type)).toList();
    }

    /** Decodes any Ferry message written with a schema this build knows. */
    public static SpecificRecordBase decode(byte[] bytes) {
        return decode(bytes, WriterSchemas.NONE);
    }

    /** Decodes any Ferry message; an unknown writer fingerprint is looked up in {@code writers}. */
    public static SpecificRecordBase decode(byte[] bytes, WriterSchemas writers) {
        if (bytes == null || bytes.length < HEADER_LENGTH || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new PoisonMessageException(PoisonMessageException.Reason.MALFORMED,
                    "not Avro single-object encoding (" + (bytes == null ? "null" : bytes.length + " bytes") + ")");
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Reader reader = READERS.get(fingerprint);
        if (reader == null) {
            reader = learn(fingerprint, writers.writerSchema(fingerprint).orElseThrow(() -> new PoisonMessageException(
                    PoisonMessageException.Reason.UNKNOWN_SCHEMA,
                    "unknown writer schema fingerprint " + Long.toHexString(fingerprint))));
        }
        try {
            return reader.decoder().decode(new ByteArrayInputStream(bytes), null);
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException(PoisonMessageException.Reason.MALFORMED,
                    "body does not match " + reader.type().getSimpleName() + ": " + e, e);
        }
    }

    /**
     * Adds a writer schema (a newer version of one of Ferry's types) to the readers, when the current class can read
     * it: Avro's schema resolution then fills the fields the writer lacks from defaults and skips those it added.
     */
    private static Reader learn(long fingerprint, Schema writer) {
        if (fingerprint(writer) != fingerprint) {
            throw new PoisonMessageException(PoisonMessageException.Reason.UNKNOWN_SCHEMA,
                    "the schema announced for fingerprint " + Long.toHexString(fingerprint) + " has another fingerprint");
        }
        Class<? extends SpecificRecordBase> type = TYPES.get(writer.getFullName());
        if (type == null) {
            throw new PoisonMessageException(PoisonMessageException.Reason.UNKNOWN_SCHEMA,
                    "writer schema " + Long.toHexString(fingerprint) + " is of an unknown type " + writer.getFullName());
        }
        Schema readerSchema = SpecificData.get().getSchema(type);
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new PoisonMessageException(PoisonMessageException.Reason.UNKNOWN_SCHEMA,
                    "writer schema " + Long.toHexString(fingerprint) + " of " + type.getSimpleName()
                            + " cannot be read by this build: " + compatibility.getResult().getIncompatibilities());
        }
        BinaryMessageDecoder<SpecificRecordBase> decoder = new BinaryMessageDecoder<>(SpecificData.getForClass(type),
                readerSchema);
        decoder.addSchema(writer);
        Reader reader = new Reader(type, decoder);
        Reader known = READERS.putIfAbsent(fingerprint, reader);
        return known != null ? known : reader;
    }

    /** Decodes a message that must be one of {@code allowed} (the types a topic carries). */
    public static SpecificRecordBase decode(byte[] bytes, Set<Class<? extends SpecificRecordBase>> allowed) {
        return decode(bytes, allowed, WriterSchemas.NONE);
    }

    /**
     * Decodes a message that must be one of {@code allowed}; an unknown writer fingerprint is looked up in
     * {@code writers}.
     */
    public static SpecificRecordBase decode(byte[] bytes, Set<Class<? extends SpecificRecordBase>> allowed,
                                            WriterSchemas writers) {
        SpecificRecordBase message = decode(bytes, writers);
        if (!allowed.contains(message.getClass())) {
            throw new PoisonMessageException(PoisonMessageException.Reason.UNEXPECTED_TYPE,
                    message.getClass().getSimpleName() + " is not carried by this topic");
        }
        return message;
    }
}
