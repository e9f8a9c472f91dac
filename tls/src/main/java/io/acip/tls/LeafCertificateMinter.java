package io.acip.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.util.IPAddress;

/**
 * Server certificates for TLS interception: the gateway answers an agent's TLS for {@code host} with a leaf for that
 * host signed by the fabric CA (which the agent trusts). Leaves are cached per host in a bounded LRU map, minted at
 * most once however many connections ask at the same moment, and replaced once three quarters of their validity
 * has passed, so a connection never receives a leaf about to expire.
 *
 * <p>All leaves share one EC P-256 key pair, made when the minter is. A key per host would isolate nothing: every
 * key lives in this process next to the CA key that can sign for any host anyway. Sharing halves the cost of a
 * mint and keeps a full cache at one key rather than ten thousand (mitmproxy does the same). A new minter, as on
 * restart, has a new key.
 */
public final class LeafCertificateMinter {
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(7);

    private final FabricCa ca;
    private final int maxEntries;
    private final Duration validity;
    private final Duration renewBefore;
    private final Clock clock;
    private final KeyPair leafKey = KeyPairs.p256();
    private final AtomicLong minted = new AtomicLong();
    private final LinkedHashMap<String, CompletableFuture<IssuedIdentity>> cache; // guarded by itself

    /** A minter with {@link #DEFAULT_MAX_ENTRIES} and {@link #DEFAULT_VALIDITY}, on the system clock. */
    public LeafCertificateMinter(FabricCa ca) {
        this(ca, DEFAULT_MAX_ENTRIES, DEFAULT_VALIDITY, Clock.systemUTC());
    }

    public LeafCertificateMinter(FabricCa ca, int maxEntries, Duration validity, Clock clock) {
        if (maxEntries < 1 || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("need maxEntries >= 1 and a positive validity");
        }
        this.ca = ca;
        this.maxEntries = maxEntries;
        this.validity = validity;
        this.renewBefore = validity.dividedBy(4);
        this.clock = clock;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) { // access order: get() makes an entry most recent
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<IssuedIdentity>> eldest) {
                return size() > LeafCertificateMinter.this.maxEntries;
            }
        };
    }

    /**
     * The leaf for {@code host}: a DNS name (any case, trailing dot allowed) or an IP literal (IPv6 with or
     * without brackets). The same object is returned until it is evicted or due for renewal.
     *
     * @throws IllegalArgumentException if {@code host} is neither a valid DNS name nor an IP literal
     */
    public IssuedIdentity leafFor(String host) {
        String key = canonical(host);
        CompletableFuture<IssuedIdentity> mine = null;
        CompletableFuture<IssuedIdentity> entry;
        synchronized (cache) {
            entry = cache.get(key);
            if (entry == null || dueForRenewal(entry)) {
                entry = mine = new CompletableFuture<>();
                cache.put(key, mine);
            }
        }
        if (mine != null) {
            // Minted outside the lock: other hosts are not held up; callers for this host wait on the future.
            try {
                mine.complete(mint(key));
            } catch (RuntimeException e) {
                synchronized (cache) {
                    cache.remove(key, mine);
                }
                mine.completeExceptionally(e);
            }
        }
        try {
            return entry.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** How many hosts are cached now. */
    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    /** How many leaves this minter has signed: a counter for metrics, and for tests of the once-only rule. */
    public long mintedCount() {
        return minted.get();
    }

    private boolean dueForRenewal(CompletableFuture<IssuedIdentity> entry) {
        if (!entry.isDone()) {
            return false; // being minted right now
        }
        if (entry.isCompletedExceptionally()) {
            return true; // a failed mint is removed before it fails; should one linger, try again
        }
        // Counted from issue, not from notAfter: a leaf clamped to a CA about to expire must not re-mint per call.
        Instant issued = entry.join().certificate().getNotBefore().toInstant().plus(FabricCa.BACKDATE);
        Instant renewAt = issued.plus(validity).minus(renewBefore);
        return !clock.instant().isBefore(renewAt);
    }

    private IssuedIdentity mint(String host) {
        InetAddress ip = IPAddress.isValid(host) ? literal(host) : null;
        Instant now = clock.instant();
        LeafProfile profile = LeafProfile.interception(host, ip);
        IssuedIdentity leaf = new IssuedIdentity(leafKey.getPrivate(), List.of(
                ca.sign(profile, leafKey.getPublic(), now.minus(FabricCa.BACKDATE), now.plus(validity)),
                ca.certificate()));
        minted.incrementAndGet();
        return leaf;
    }

    /** The cache key: lower-case DNS name without trailing dot, or the IP's canonical text. */
    static String canonical(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (IPAddress.isValid(h)) {
            return literal(h).getHostAddress(); // "::1" and "0:0:0:0:0:0:0:1" share one entry
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (!LeafProfile.isDnsName(h, false)) {
            throw new IllegalArgumentException("not a host name or IP literal: \"" + host + "\"");
        }
        return h;
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip); // a validated literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + ip, e);
        }
    }
}
