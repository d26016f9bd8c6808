package io.ferry.scheduler.domain.select;

import static io.ferry.scheduler.domain.Fixtures.CLOCK;
import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static io.ferry.scheduler.domain.Fixtures.flavor;
import static io.ferry.scheduler.domain.Fixtures.gib;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.claim.ClaimLedger;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/** Many threads fire requests at a nearly full fleet at once: no host is ever overcommitted. */
class SchedulerConcurrencyTest {

    @RepeatedTest(5)
    void concurrentRequestsNeverOvercommitAHostAndFillExactlyTheFreeSlots() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        // given 50 hosts with room for 0..3 guests of 8 GiB each (RAM is the binding resource)
        Map<HostName, HostState> fleet = new LinkedHashMap<>();
        int slots = 0;
        for (int i = 0; i < 50; i++) {
            int free = random.nextInt(4);
            slots += free;
            HostState host = aHost(String.format("host-%02d", i)).withFreeRam(gib(8L * free + 4)).build();
            fleet.put(host.name(), host);
        }
        int requests = slots + 40;
        ClaimLedger ledger = new ClaimLedger();
        // a lost round means another request claimed in between, so slots + 1 rounds guarantee progress
        Scheduler scheduler = new Scheduler(HostSelector.create(SchedulerSettings.defaults(), CLOCK), ledger, slots + 1);
        RequestSpec request = aRequest().flavor(flavor(1, gib(8), 0)).maxAlternates(2).build();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Scheduled>> results = new ArrayList<>();
        // when
        try {
            for (int i = 0; i < requests; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return scheduler.schedule(MigrationId.random(), request, fleet);
                }));
            }
            start.countDown();
            int claimed = 0;
            for (Future<Scheduled> result : results) {
                if (result.get(30, TimeUnit.SECONDS).decision() instanceof Decision.Selected) {
                    claimed++;
                }
            }
            // then
            for (HostState host : fleet.values()) {
                HostState withClaims = host.withClaims(ledger.claimsOn(host.name()));
                assertThat(withClaims.freeRamMb()).as("seed %d: %s overcommitted", seed, host.name())
                        .isGreaterThanOrEqualTo(0);
            }
            assertThat(claimed).as("seed %d: successful claims", seed).isEqualTo(slots);
            assertThat(ledger.openClaims()).hasSize(slots);
        } finally {
            pool.shutdownNow();
        }
    }
}
