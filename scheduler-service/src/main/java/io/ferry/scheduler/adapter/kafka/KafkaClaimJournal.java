package io.ferry.scheduler.adapter.kafka;

import io.ferry.messaging.MessagePublisher;
import io.ferry.scheduler.app.ClaimJournal;
import io.ferry.scheduler.domain.claim.Claim;
import io.ferry.schemas.Topics;
import java.time.Clock;

/** Keeps every claim on the compacted {@code ferry.scheduler.claims}, keyed by migration uuid, acknowledged by the broker. */
public class KafkaClaimJournal implements ClaimJournal {

    private final MessagePublisher publisher;
    private final Clock clock;

    public KafkaClaimJournal(MessagePublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void append(Claim claim) {
        publisher.sendAndWait(Topics.SCHEDULER_CLAIMS, claim.migration().toString(),
                SchedulerMessages.record(claim, clock.millis()));
    }
}
