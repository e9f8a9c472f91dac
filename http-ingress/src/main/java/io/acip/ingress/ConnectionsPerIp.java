package io.acip.ingress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Open connections per client IP address against one cap, shared by every listener (TCP connections and QUIC
 * connections alike), so that one client cannot hold all of the gateway's connections. An IPv4-mapped IPv6 address
 * (a dual-stack socket's view of an IPv4 client) counts as that IPv4 address.
 */
public final class ConnectionsPerIp {
    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    /** @param max connections one address may hold open; 0 for no limit (still counted) */
    public ConnectionsPerIp(int max) {
        if (max < 0) throw new IllegalArgumentException("max must not be negative: " + max);
        this.max = max;
    }

    public int max() {
        return max;
    }

    /**
     * Admits one more connection from {@code address}: a token that ends it (however often it is run), or null when
     * the address already holds {@link #max()} and nothing was counted.
     */
    public Runnable tryOpen(InetAddress address) {
        InetAddress ip = clientIp(address);
        boolean[] admitted = {false};
        open.compute(ip, (k, n) -> {
            int held = n == null ? 0 : n;
            if (max > 0 && held >= max) return n;
            admitted[0] = true;
            return held + 1;
        });
        if (!admitted[0]) return null;
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) open.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
        };
    }

    /** Connections {@code address} holds open now. */
    public int open(InetAddress address) {
        return open.getOrDefault(clientIp(address), 0);
    }

    /** Addresses holding at least one connection (an empty table after every connection closed: nothing leaks). */
    public int addresses() {
        return open.size();
    }

    /** The address a client is counted under: IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) as its IPv4 address. */
    public static InetAddress clientIp(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            if (Arrays.equals(b, 0, 12, V4_MAPPED_PREFIX, 0, 12)) {
                try {
                    return Inet4Address.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("4 bytes are an IPv4 address", e);
                }
            }
        }
        return address;
    }
}
