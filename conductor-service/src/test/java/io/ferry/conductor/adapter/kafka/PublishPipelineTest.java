package io.ferry.conductor.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ferry.messaging.MessagePublisher.PublishFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublishPipelineTest {

    /** A producer whose acknowledgements the test gives by hand; it notes what was handed over, in order. */
    private final List<String> handedOver = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<Object>> acks = new ConcurrentHashMap<>();
    private final PublishPipeline pipeline = new PublishPipeline((topic, key, message) -> {
        handedOver.add(key);
        return acks.computeIfAbsent(key, k -> new CompletableFuture<>());
    }, Duration.ofSeconds(5));
    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pipeline.close();
        caller.shutdownNow();
    }

    @Test
    void aCommandLeavesOnlyOnceTheRecordsBeforeItAreStored() {
        pipeline.record("ferry.migrations", "record-1", message());
        pipeline.record("ferry.migrations", "record-2", message());
        pipeline.command("ferry.host.a.commands", "command-1", message());

        assertThat(handedOver).containsExactly("record-1", "record-2");
        ack("record-1");
        assertThat(handedOver).containsExactly("record-1", "record-2");
        ack("record-2");
        await().atMost(Duration.ofSeconds(5)).until(() -> handedOver.contains("command-1"));
        assertThat(handedOver).containsExactly("record-1", "record-2", "command-1");
    }

    @Test
    void commandsLeaveInTheOrderTheyWereIssuedEvenWhenLaterOnesWaitForNothing() {
        pipeline.record("ferry.migrations", "record-1", message());
        pipeline.command("ferry.host.a.commands", "command-1", message());
        pipeline.command("ferry.host.a.commands", "command-2", message());

        ack("record-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> handedOver.size() == 3);
        assertThat(handedOver).containsExactly("record-1", "command-1", "command-2");
    }

    @Test
    void theCallerWaitsForEverythingItIssuedAndOnlyThat() throws Exception {
        Future<?> waiting = caller.submit(() -> {
            pipeline.record("ferry.migrations", "record-1", message());
            pipeline.command("ferry.host.a.commands", "command-1", message());
            pipeline.awaitIssued();
        });
        ack("record-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> handedOver.contains("command-1"));
        assertThat(waiting).isNotDone();
        ack("command-1");
        waiting.get();
        // another thread issued nothing: it does not wait
        pipeline.awaitIssued();
    }

    @Test
    void aRecordThatIsNotStoredKeepsItsCommandsBackAndFailsTheInput() {
        pipeline.record("ferry.migrations", "record-1", message());
        pipeline.command("ferry.host.a.commands", "command-1", message());
        acks.get("record-1").completeExceptionally(new IllegalStateException("broker gone"));

        assertThatThrownBy(pipeline::awaitIssued).isInstanceOf(PublishFailedException.class)
                .hasMessageContaining("broker gone");
        assertThat(handedOver).containsExactly("record-1");

        // later inputs start afresh
        pipeline.record("ferry.migrations", "record-2", message());
        pipeline.command("ferry.host.a.commands", "command-2", message());
        ack("record-2");
        await().atMost(Duration.ofSeconds(5)).until(() -> handedOver.contains("command-2"));
        assertThat(handedOver).containsExactly("record-1", "record-2", "command-2");
    }

    @Test
    void aHandlerThatThrowsStillWaitsAndKeepsItsOwnFailure() {
        var handler = pipeline.awaitingAfter((message, record) -> {
            pipeline.record("ferry.migrations", "record-1", message());
            throw new IllegalArgumentException("bad input");
        });
        ack("record-1");
        assertThatThrownBy(() -> handler.handle(message(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad input");
        // nothing left over for this thread's next input
        pipeline.awaitIssued();
    }

    private void ack(String key) {
        acks.computeIfAbsent(key, k -> new CompletableFuture<>()).complete(key);
    }

    /** The pipeline never looks into a message; the producer above only notes its key. */
    private static SpecificRecordBase message() {
        return null;
    }
}
