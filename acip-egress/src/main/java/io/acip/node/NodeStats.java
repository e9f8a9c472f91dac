package io.acip.node;

import io.acip.wire.ResetCode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters named {@code <scope>.<thing>.<event>} (acip.session.opened, acip.packet.malformed,
 * acip.reset.sent.skill_unreachable, ...), counted wherever something can go wrong. The gateway exports them.
 */
public final class NodeStats {
    // RESET counter names, built once per code rather than on every RESET.
    private static final Map<ResetCode, String> RESET_SENT = names("acip.reset.sent.");
    private static final Map<ResetCode, String> RESET_RECEIVED = names("acip.reset.received.");
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    private static Map<ResetCode, String> names(String prefix) {
        Map<ResetCode, String> m = new java.util.EnumMap<>(ResetCode.class);
        for (ResetCode c : ResetCode.values()) m.put(c, prefix + c.token());
        return m;
    }

    static String resetSent(ResetCode code) {
        return RESET_SENT.get(code);
    }

    static String resetReceived(ResetCode code) {
        return RESET_RECEIVED.get(code);
    }

    public void inc(String name) {
        counters.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    public void add(String name, long n) {
        counters.computeIfAbsent(name, k -> new LongAdder()).add(n);
    }

    public long get(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
