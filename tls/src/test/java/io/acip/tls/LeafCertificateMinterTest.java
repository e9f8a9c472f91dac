package io.acip.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.tls.identity.CertificateIdentities;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LeafCertificateMinterTest {
    private static final FabricCa CA = FabricCa.generate("minter test CA");
    private static final Duration WEEK = Duration.ofDays(7);

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final LeafCertificateMinter minter = new LeafCertificateMinter(CA, 100, WEEK, clock);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "api.example.com  | 2 | api.example.com",
        "API.Example.COM. | 2 | api.example.com",
        "_svc.example     | 2 | _svc.example",
        "192.0.2.1        | 7 | 192.0.2.1",
        "[::1]            | 7 | 0:0:0:0:0:0:0:1",
        "2001:db8::1      | 7 | 2001:db8:0:0:0:0:0:1",
    })
    void mintsAServerLeafNamingTheHost(String host, int sanType, String sanValue) throws Exception {
        IssuedIdentity leaf = minter.leafFor(host);
        X509Certificate cert = leaf.certificate();
        assertEquals(List.of(List.of(sanType, sanValue)), new ArrayList<>(cert.getSubjectAlternativeNames()));
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), cert.getExtendedKeyUsage());
        assertEquals(-1, cert.getBasicConstraints());
        CertificateIdentities.verifyChain(leaf.certificateChain(), CA.certificate(), clock.instant());
    }

    @Test
    void validityIsShortAndBackdatedForClockSkew() {
        X509Certificate cert = minter.leafFor("example.com").certificate();
        assertEquals(clock.instant().minus(Duration.ofHours(1)), cert.getNotBefore().toInstant());
        assertEquals(clock.instant().plus(WEEK), cert.getNotAfter().toInstant());
        assertEquals(128, cert.getSerialNumber().bitLength());
    }

    @Test
    void secondCallReturnsTheCachedLeafForAnySpellingOfTheHost() {
        IssuedIdentity first = minter.leafFor("example.com");
        assertSame(first, minter.leafFor("example.com"));
        assertSame(first, minter.leafFor("EXAMPLE.com."));
        assertSame(minter.leafFor("::1"), minter.leafFor("[0:0:0:0:0:0:0:1]"));
        assertEquals(2, minter.mintedCount());
        assertEquals(2, minter.size());
    }

    @Test
    void leavesShareOneKeyButNotSerials() {
        IssuedIdentity a = minter.leafFor("a.example");
        IssuedIdentity b = minter.leafFor("b.example");
        assertEquals(a.privateKey(), b.privateKey());
        assertNotEquals(a.certificate().getSerialNumber(), b.certificate().getSerialNumber());
    }

    @Test
    void evictsTheLeastRecentlyUsedHost() {
        LeafCertificateMinter small = new LeafCertificateMinter(CA, 2, WEEK, clock);
        IssuedIdentity a = small.leafFor("a.example");
        IssuedIdentity b = small.leafFor("b.example");
        assertSame(a, small.leafFor("a.example")); // a is now more recent than b
        small.leafFor("c.example");
        assertEquals(2, small.size());
        assertSame(a, small.leafFor("a.example"));
        assertNotSame(b, small.leafFor("b.example")); // b was evicted and is minted again
        assertEquals(4, small.mintedCount());
    }

    @Test
    void concurrentRequestsForOneHostMintOnce() throws Exception {
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<IssuedIdentity>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return minter.leafFor("busy.example");
                }));
            }
            start.countDown();
            IssuedIdentity first = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<IssuedIdentity> f : results) {
                assertSame(first, f.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, minter.mintedCount());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void renewsOnceThreeQuartersOfTheValidityHavePassed() {
        IssuedIdentity first = minter.leafFor("example.com");
        clock.advance(WEEK.multipliedBy(3).dividedBy(4).minusSeconds(1));
        assertSame(first, minter.leafFor("example.com"));
        clock.advance(Duration.ofSeconds(1));
        IssuedIdentity renewed = minter.leafFor("example.com");
        assertNotSame(first, renewed);
        assertEquals(clock.instant().plus(WEEK), renewed.certificate().getNotAfter().toInstant());
        assertSame(renewed, minter.leafFor("example.com"));
        assertEquals(2, minter.mintedCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "a b.example", "-bad.example", "bad-.example", "*.example.com", "a..b",
        "fe80::1%eth0", "[192.0.2.1", "ünicode.example",
        "label-of-64-characters-is-one-too-long-for-dns-aaaaaaaaaaaaaaaaa.example"})
    void refusesWhatIsNotAHostName(String host) {
        assertThrows(IllegalArgumentException.class, () -> minter.leafFor(host));
        assertEquals(0, minter.size());
    }
}
