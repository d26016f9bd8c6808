package io.ferry.schemas.codec;

/**
 * A record that no retry can fix: it cannot be decoded, or is of a type its topic does not carry, or fails
 * validation. Consumers send it to the dead-letter topic with {@link #reason()} and move past it.
 */
public final class PoisonMessageException extends RuntimeException {

    /** Why a record is poison; the value goes into the dead-letter record's {@code ferry-dlq-reason} header. */
    public enum Reason {
        /** Not Avro single-object encoding, or the body does not match the schema its header names. */
        MALFORMED,
        /**
         * The header names a schema fingerprint that neither this build nor the schemas announced on
         * {@code ferry.schemas} know, or a writer schema this build's reader schema cannot read.
         */
        UNKNOWN_SCHEMA,
        /** A known message type, but not one this topic carries. */
        UNEXPECTED_TYPE,
        /** Decoded, but the content breaks a rule (a missing id, a negative size). */
        INVALID,
        /** Larger than {@code ferry.kafka.max-record-bytes}: refused before decoding. */
        OVERSIZED
    }

    private final Reason reason;

    public PoisonMessageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PoisonMessageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
