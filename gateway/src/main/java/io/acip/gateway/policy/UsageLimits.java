package io.acip.gateway.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Per-caller limits of the policy's rules: a token bucket (Bucket4j) per rule and caller, and a count of what the
 * caller has in flight under the rule. Buckets of callers not seen for ten minutes are dropped, at most 100,000
 * authenticated and 100,000 anonymous ones are held (a caller whose bucket was dropped starts full again, which only
 * errs toward serving); in-flight counts exist only while something is in flight.
 */
final class UsageLimits {
    private static final int MAX_BUCKETS = 100_000;

    sealed interface Outcome {
    }

    /** Within the limits: {@code release} (idempotent) gives the in-flight slot back. */
    record Granted(Runnable release) implements Outcome {
    }

    /** Over a limit: the rate, with the wait until a token is back, or concurrency. */
    record Exceeded(boolean rate, long retryAfterSeconds) implements Outcome {
    }

    /** The release of a grant that holds no in-flight slot. */
    static final Runnable NOTHING = () -> { };
    private static final Granted UNCOUNTED = new Granted(NOTHING);

    // Anonymous callers apart: a flood of addresses must not evict the buckets of authenticated callers.
    private final Cache<String, Bucket> buckets = newBuckets();
    private final Cache<String, Bucket> anonymousBuckets = newBuckets();
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    private static Cache<String, Bucket> newBuckets() {
        return Caffeine.newBuilder().maximumSize(MAX_BUCKETS).expireAfterAccess(Duration.ofMinutes(10)).build();
    }

    /** Takes one token and one in-flight slot for {@code caller} under {@code rule}. */
    Outcome acquire(AccessRule rule, String caller, boolean anonymous) {
        String key = (anonymous ? "a\u0000" : "i\u0000") + rule.index() + "\u0000" + caller;
        if (rule.concurrency() > 0 && !enter(key, rule.concurrency())) return new Exceeded(false, 1);
        if (rule.rate() != null) {
            ConsumptionProbe probe = (anonymous ? anonymousBuckets : buckets).get(key, k -> bucket(rule.rate()))
                    .tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                if (rule.concurrency() > 0) leave(key);
                long nanos = probe.getNanosToWaitForRefill();
                return new Exceeded(true, Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
            }
        }
        if (rule.concurrency() == 0) return UNCOUNTED;
        AtomicBoolean released = new AtomicBoolean();
        return new Granted(() -> {
            if (released.compareAndSet(false, true)) leave(key);
        });
    }

    private boolean enter(String key, int limit) {
        boolean[] admitted = {false};
        inFlight.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= limit) return n;
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    private void leave(String key) {
        inFlight.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** In-flight count of an authenticated caller under a rule, for tests and the admin view. */
    int inFlight(AccessRule rule, String caller) {
        return inFlight.getOrDefault("i\u0000" + rule.index() + "\u0000" + caller, 0);
    }

    private static Bucket bucket(AccessRule.Rate rate) {
        long periodNanos = Math.max(1, Math.round(1e9 / rate.perSecond()));
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(rate.burst()).refillGreedy(1, Duration.ofNanos(periodNanos))
                        .build())
                .build();
    }
}
