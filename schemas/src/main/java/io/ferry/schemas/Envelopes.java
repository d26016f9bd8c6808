package io.ferry.schemas;

import io.ferry.schemas.common.Envelope;
import java.util.UUID;

/** Builds the envelope every message carries. */
public final class Envelopes {

    private Envelopes() {
    }

    /** A new envelope: fresh message id, the given correlation and causation ids. */
    public static Envelope of(String correlationId, String causationId, long eventTimeMillis, String producer) {
        return Envelope.newBuilder()
                .setMessageId(UUID.randomUUID().toString())
                .setCorrelationId(correlationId)
                .setCausationId(causationId)
                .setEventTime(eventTimeMillis)
                .setProducer(producer)
                .build();
    }

    /** An envelope for a message caused by {@code cause}, with the same correlation id. */
    public static Envelope causedBy(Envelope cause, long eventTimeMillis, String producer) {
        return of(cause.getCorrelationId(), cause.getMessageId(), eventTimeMillis, producer);
    }
}
