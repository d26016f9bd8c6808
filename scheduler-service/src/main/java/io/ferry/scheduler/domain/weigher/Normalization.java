package io.ferry.scheduler.domain.weigher;

/** Nova's {@code nova.weights.normalize}: the one place raw weights become 0..1. */
public final class Normalization {

    private Normalization() {
    }

    /**
     * Scales {@code weights[0..n)} in place to (w − min) / (max − min); all zeros when every weight is
     * equal (including n = 1), so a weigher that cannot tell hosts apart does not move the ranking.
     */
    public static void normalize(double[] weights, int n) {
        if (n == 0) {
            return;
        }
        double min = weights[0];
        double max = weights[0];
        for (int i = 1; i < n; i++) {
            double w = weights[i];
            if (w < min) {
                min = w;
            }
            if (w > max) {
                max = w;
            }
        }
        if (min == max) {
            java.util.Arrays.fill(weights, 0, n, 0.0);
            return;
        }
        double range = max - min;
        for (int i = 0; i < n; i++) {
            weights[i] = (weights[i] - min) / range;
        }
    }
}
