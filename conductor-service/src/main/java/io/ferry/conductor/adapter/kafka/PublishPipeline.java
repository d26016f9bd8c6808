package io.ferry.conductor.adapter.kafka;

import io.ferry.messaging.FerryMessageHandler;
import io.ferry.messaging.MessagePublisher;
import io.ferry.messaging.MessagePublisher.PublishFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conductor's outbound order without a broker round trip per message inside its lock.
 *
 * <p>A <em>record</em> ({@code ferry.migrations}, {@code ferry.drains}) is handed to the producer at once. A
 * <em>command</em> (to the scheduler, an agent, the commands topic) goes out only once every record handed over
 * before it is stored, so the record of a transition is always durable before any command that depends on it, as
 * before; commands leave one after another in the order they were issued, from one thread. The caller that issued
 * them waits once, after the conductor's lock is released ({@link #awaitingAfter}), until everything it issued is
 * acknowledged, and only then is its input's offset committed: an input whose effects are not stored is read again.
 *
 * <p>If a record is not stored (the broker unreachable past the producer's delivery timeout), the commands issued
 * behind it never go out and the input's handler fails with {@link PublishFailedException}; records issued later
 * start a fresh chain.
 */
public final class PublishPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PublishPipeline.class);

    /** Hands one message to the producer; the future completes when the broker has stored it. */
    @FunctionalInterface
    public interface Sender {
        CompletableFuture<?> send(String topic, String key, SpecificRecordBase message);
    }

    private final Sender publisher;
    private final Duration timeout;
    private final ExecutorService commandLane = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "conductor-command-lane");
        t.setDaemon(true);
        return t;
    });
    private final ThreadLocal<List<CompletableFuture<?>>> issuedHere = ThreadLocal.withInitial(ArrayList::new);
    /** Completes when every record handed over so far is stored. */
    private CompletableFuture<?> records = CompletableFuture.completedFuture(null);
    /** Completes when the last command issued so far has been handed to the producer (keeps commands in order). */
    private CompletableFuture<?> lane = CompletableFuture.completedFuture(null);

    public PublishPipeline(MessagePublisher publisher, Duration timeout) {
        this(publisher::send, timeout);
    }

    public PublishPipeline(Sender publisher, Duration timeout) {
        this.publisher = publisher;
        this.timeout = timeout;
    }

    /** A record that later commands depend on: handed to the producer now. */
    public void record(String topic, String key, SpecificRecordBase message) {
        CompletableFuture<?> stored = publisher.send(topic, key, message);
        synchronized (this) {
            records = records.isDone() ? stored : CompletableFuture.allOf(records, stored);
        }
        issuedHere.get().add(stored);
    }

    /** A command: handed to the producer once every record issued before it is stored and the previous command left. */
    public void command(String topic, String key, SpecificRecordBase message) {
        CompletableFuture<CompletableFuture<?>> handedOver;
        synchronized (this) {
            CompletableFuture<?> after = lane.isDone() ? records : CompletableFuture.allOf(records, lane);
            handedOver = after.thenApplyAsync(ignored -> publisher.send(topic, key, message), commandLane);
            lane = handedOver.handle((sent, failure) -> null);
        }
        issuedHere.get().add(handedOver.thenCompose(sent -> sent));
    }

    /** Waits until everything this thread issued since its last wait is acknowledged. */
    public void awaitIssued() {
        List<CompletableFuture<?>> issued = issuedHere.get();
        if (issued.isEmpty()) {
            return;
        }
        List<CompletableFuture<?>> waitFor = List.copyOf(issued);
        issued.clear();
        try {
            CompletableFuture.allOf(waitFor.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            log.error("the conductor's records or commands did not reach the broker: {}", cause.toString());
            throw new PublishFailedException("records or commands not stored: " + cause.getMessage(), cause);
        }
    }

    /** The handler, then a wait for what it issued (outside the conductor's lock, before the offset commit). */
    public FerryMessageHandler awaitingAfter(FerryMessageHandler handler) {
        return (message, record) -> {
            try {
                handler.handle(message, record);
            } catch (RuntimeException failed) {
                try {
                    awaitIssued();
                } catch (PublishFailedException alsoFailed) {
                    failed.addSuppressed(alsoFailed);
                }
                throw failed;
            }
            awaitIssued();
        };
    }

    @Override
    public void close() {
        commandLane.shutdown();
    }
}
