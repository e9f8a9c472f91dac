package io.acip.gateway.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * An issuer's JWKS fetched from its URL on a thread of its own, never on a request's: requests read the last good
 * set, swapped in whole. The set is fetched at {@link #start}, then every {@code refresh}; a token naming a key the
 * set lacks (a rotation) asks for an early fetch, at most one every 30 s, and is refused meanwhile. An issuer that
 * fails leaves the last good set in place. Bounded: 1 MiB, 5 s to connect and 5 s to read.
 */
final class JwksSnapshot implements JWKSource<SecurityContext>, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JwksSnapshot.class.getName());
    private static final long EARLY_FETCH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final URL url;
    private final Duration refresh;
    private final DefaultResourceRetriever retriever = new DefaultResourceRetriever(5_000, 5_000, 1 << 20);
    private final AtomicReference<JWKSet> current = new AtomicReference<>(new JWKSet());
    private final AtomicLong lastEarlyFetch = new AtomicLong(System.nanoTime() - EARLY_FETCH_INTERVAL_NANOS);
    private ScheduledExecutorService fetcher;
    private volatile boolean fetched; // the first fetch has answered: until then a miss is no sign of a rotation

    JwksSnapshot(URL url, Duration refresh) {
        this.url = url;
        this.refresh = refresh;
    }

    /** Fetches now and every {@code refresh} from now on. */
    synchronized void start() {
        if (fetcher != null) return;
        fetcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jwks-" + url.getHost());
            t.setDaemon(true);
            return t;
        });
        fetcher.scheduleWithFixedDelay(this::fetch, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        List<JWK> found = selector.select(current.get());
        if (found.isEmpty() && fetched) fetchEarly();
        return found;
    }

    private void fetchEarly() {
        long last = lastEarlyFetch.get();
        long now = System.nanoTime();
        ScheduledExecutorService f;
        synchronized (this) {
            f = fetcher;
        }
        if (f == null || now - last < EARLY_FETCH_INTERVAL_NANOS || !lastEarlyFetch.compareAndSet(last, now)) return;
        f.execute(this::fetch);
    }

    private void fetch() {
        try {
            JWKSet set = JWKSet.parse(retriever.retrieveResource(url).getContent());
            current.set(set);
            fetched = true;
        } catch (Exception e) {
            fetched = true;
            LOG.warning("auth.jwt.jwks_url: " + url + " not fetched (" + e.getMessage() + "); keeping the "
                    + current.get().getKeys().size() + " keys held");
        }
    }

    @Override
    public synchronized void close() {
        if (fetcher != null) fetcher.shutdownNow();
    }
}
