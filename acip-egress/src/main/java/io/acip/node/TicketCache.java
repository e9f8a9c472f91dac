package io.acip.node;

import io.acip.seal.ResumptionTicket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resumption tickets by key, bounded: the least recently used goes when full, an expired one when looked up.
 * Shared by the node's event loops: one lock, taken once per session set-up.
 */
final class TicketCache<K> {
    private final int capacity;
    private final LinkedHashMap<K, ResumptionTicket> tickets;

    TicketCache(int capacity) {
        this.capacity = capacity;
        this.tickets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, ResumptionTicket> eldest) {
                return size() > TicketCache.this.capacity;
            }
        };
    }

    /** The live ticket under {@code key}, or null. */
    synchronized ResumptionTicket get(K key, long nowNanos) {
        ResumptionTicket t = tickets.get(key);
        if (t != null && t.expired(nowNanos)) {
            tickets.remove(key);
            return null;
        }
        return t;
    }

    synchronized void put(K key, ResumptionTicket ticket) {
        tickets.put(key, ticket);
    }

    synchronized void remove(K key) {
        tickets.remove(key);
    }

    synchronized int size() {
        return tickets.size();
    }
}
