package io.acip.gateway.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters of one label (a skill, a neighbour), created once per value and looked up without allocating; past
 * {@code limit} distinct values every new one shares the {@code other} meters, so a caller that invents skill names
 * cannot grow the registry (or the scrape) without bound.
 */
public final class BoundedLabel<V> {
    public static final String OTHER = "other";
    private final int limit;
    private final Function<String, V> create;
    private final Map<String, V> byValue = new ConcurrentHashMap<>();
    private final V other;

    public BoundedLabel(int limit, Function<String, V> create) {
        this.limit = limit;
        this.create = create;
        this.other = create.apply(OTHER);
    }

    public V get(String value) {
        V v = byValue.get(value);
        if (v != null) return v;
        if (byValue.size() >= limit) return other;
        synchronized (this) { // the size check and the insert together, so the limit holds under races
            v = byValue.get(value);
            if (v != null) return v;
            if (byValue.size() >= limit) return other;
            v = create.apply(value);
            byValue.put(value, v);
            return v;
        }
    }

    /** Every value with meters of its own, then {@link #OTHER}. */
    public void forEach(java.util.function.BiConsumer<String, V> action) {
        byValue.forEach(action);
        action.accept(OTHER, other);
    }

    /** How many distinct values have their own meters. */
    public int size() {
        return byValue.size();
    }
}
