package io.acip.control;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of route exchange (docs/acip-v0.md §12).
 *
 * @param updateInterval least time between two UPDATE batches to one neighbour (withdrawals do not wait)
 * @param holdTime offered in OPEN; 0 for none, else at least 1 s
 * @param learnedPriority the priority of the best learned routes (the next best get one more, and so on); static
 *     routes and attached instances default to 0, so they win unless configured above it
 * @param neighbours border policy per neighbour node ID; others get {@link BorderPolicy#OPEN}
 */
public record ControlConfig(Duration updateInterval, Duration holdTime, int learnedPriority,
                            Map<String, BorderPolicy> neighbours) {
    public static final int DEFAULT_LEARNED_PRIORITY = 100;
    public static final ControlConfig DEFAULT = new ControlConfig(Duration.ofMillis(50), Duration.ofSeconds(15),
            DEFAULT_LEARNED_PRIORITY, Map.of());

    public ControlConfig {
        neighbours = Map.copyOf(neighbours);
        if (updateInterval.isNegative()) throw new IllegalArgumentException("update interval is negative");
        long hold = holdTime.toMillis();
        if (hold != 0 && hold < Open.MIN_HOLD_MS) throw new IllegalArgumentException("hold time must be 0 or at least 1 s");
    }

    public BorderPolicy border(String neighbour) {
        return neighbours.getOrDefault(neighbour, BorderPolicy.OPEN);
    }
}
