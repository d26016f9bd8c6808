package io.ferry.scheduler.domain.select;

/**
 * How many hosts one filter saw and let through in one decision, as Nova logs it
 * ({@code 'RamFilter: (start: 40, end: 12)'}), with one sample rejection reason (null when none).
 */
public record FilterCount(String filter, int start, int end, String sampleReason) {

    public int removed() {
        return start - end;
    }

    @Override
    public String toString() {
        return filter + ": (start: " + start + ", end: " + end + ")";
    }
}
