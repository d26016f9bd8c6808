package io.ferry.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessFileTest {

    @TempDir
    Path dir;

    @Test
    void waitsForEveryReadinessCheck() throws Exception {
        // given a service whose read models are still replaying
        Path file = dir.resolve("gateway.ready");
        AtomicBoolean caughtUp = new AtomicBoolean(false);
        CountDownLatch refusedTwice = new CountDownLatch(2);
        ReadinessFile readiness = new ReadinessFile(file, List.of(), List.of(() -> {
            if (!caughtUp.get()) {
                refusedTwice.countDown();
            }
            return caughtUp.get();
        }));

        // when
        readiness.onApplicationEvent(null);

        // then no file while the check fails
        assertThat(refusedTwice.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(file).doesNotExist();

        // and the file once it holds
        caughtUp.set(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(file).exists();
    }
}
