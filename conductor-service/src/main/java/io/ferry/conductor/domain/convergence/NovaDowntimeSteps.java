package io.ferry.conductor.domain.convergence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Nova's downtime ramp ({@code nova.virt.libvirt.migration.downtime_steps}), reproduced exactly.
 *
 * <p>With {@code downtime} ms, {@code steps} and {@code delay} s per GiB, and {@code data_gb} from
 * {@link GuestFootprint#novaDataGb()}:
 * <pre>
 *   delay  = int(delay * data_gb)                (whole seconds between steps)
 *   base   = downtime / steps                    (floating point)
 *   offset = (downtime - base) / steps
 *   step i = (int(delay * i) s, int(base + offset * i) ms)   for i = 0 .. steps  (steps + 1 pairs)
 * </pre>
 * A step applies once the elapsed time is strictly greater than its time
 * ({@code update_downtime}: {@code if elapsed > step[0]}), so the first step applies at the first
 * reading after the start.
 *
 * <p>Worked table, Nova's defaults (500 ms, 10 steps, 75 s/GiB) and a 4 GiB guest on shared storage
 * (data_gb = 4, delay = 300 s, base = 50.0, offset = 45.0):
 * <pre>
 *   step   after    downtime
 *     0      0 s      50 ms
 *     1    300 s      95 ms
 *     2    600 s     140 ms
 *     3    900 s     185 ms
 *     4   1200 s     230 ms
 *     5   1500 s     275 ms
 *     6   1800 s     320 ms
 *     7   2100 s     365 ms
 *     8   2400 s     410 ms
 *     9   2700 s     455 ms
 *    10   3000 s     500 ms
 * </pre>
 * A 1 GiB guest counts as 2 GiB (delay 150 s); an 8 GiB guest steps every 600 s. The completion
 * timeout (800 s/GiB: 3200 s for 4 GiB) falls after the last step.
 */
public record NovaDowntimeSteps(List<Step> steps) {

    /** One step of the ramp: once more than {@code after} has elapsed, set {@code downtime}. */
    public record Step(int index, Duration after, Duration downtime) {
    }

    public NovaDowntimeSteps {
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("a ramp has steps");
        }
        steps = List.copyOf(steps);
    }

    /** Nova's schedule for this guest under these settings. */
    public static NovaDowntimeSteps of(GuestFootprint guest, ConvergenceSettings settings) {
        return of(guest.novaDataGb(), settings);
    }

    /** Nova's schedule for {@code dataGb} GiB of data. */
    public static NovaDowntimeSteps of(double dataGb, ConvergenceSettings settings) {
        double downtimeMs = settings.liveMigrationDowntime().toMillis();
        int stepCount = settings.liveMigrationDowntimeSteps();
        double delaySeconds = settings.liveMigrationDowntimeDelay().toMillis() / 1000.0;

        long delay = (long) (delaySeconds * dataGb);
        double base = downtimeMs / stepCount;
        double offset = (downtimeMs - base) / stepCount;

        List<Step> steps = new ArrayList<>(stepCount + 1);
        for (int i = 0; i <= stepCount; i++) {
            steps.add(new Step(i, Duration.ofSeconds(delay * i), Duration.ofMillis((long) (base + offset * i))));
        }
        return new NovaDowntimeSteps(steps);
    }

    /** The step in force after {@code elapsed}: the last one whose time is strictly less than it. */
    public Optional<Step> stepAt(Duration elapsed) {
        Step current = null;
        for (Step step : steps) {
            if (elapsed.compareTo(step.after()) > 0) {
                current = step;
            }
        }
        return Optional.ofNullable(current);
    }

    public Step last() {
        return steps.getLast();
    }
}
