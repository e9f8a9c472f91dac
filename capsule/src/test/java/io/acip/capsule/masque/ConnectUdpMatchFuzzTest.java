package io.acip.capsule.masque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.acip.capsule.masque.ConnectUdpTarget.HostKind;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever a peer puts in :path, match() answers with a target or a rejection, and never throws. */
class ConnectUdpMatchFuzzTest {

    private static final List<ConnectUdpTemplate> TEMPLATES = List.of(
            ConnectUdpTemplate.defaultFor("proxy.example"),
            ConnectUdpTemplate.parse("https://proxy.example/masque?h={target_host}&p={target_port}"),
            ConnectUdpTemplate.parse("https://proxy.example/masque{?target_host,target_port}"),
            ConnectUdpTemplate.parse("https://proxy.example/udp/{target_host,target_port}"),
            ConnectUdpTemplate.parse("https://proxy.example/m?{target_host}=on&p={target_port}"));

    private static final String ALPHABET = "/?&=%:.,-_~+#[]@!* \t09aAfFzZ3%25%3A\u00e9\u0000\uffff\ud800";

    @Test
    void randomAndMutatedPathsNeverThrow() {
        Random random = new Random(9298);
        for (int i = 0; i < 30_000; i++) {
            ConnectUdpTemplate template = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
            String seed = random.nextInt(4) == 0 ? "" : template.expand(randomTarget(random)).pathAndQuery();
            StringBuilder s = new StringBuilder(seed);
            int edits = random.nextInt(8);
            for (int e = 0; e < edits; e++) {
                int at = s.length() == 0 ? 0 : random.nextInt(s.length() + 1);
                char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                switch (random.nextInt(3)) {
                    case 0 -> s.insert(at, c);
                    case 1 -> { if (at < s.length()) s.deleteCharAt(at); }
                    default -> { if (at < s.length()) s.setCharAt(at, c); }
                }
            }
            String path = s.toString();
            try {
                ConnectUdpMatch m = template.match(path);
                assertNotNull(m, path);
                if (m instanceof ConnectUdpTarget t) {
                    // Anything accepted is a valid target: it re-expands and matches to itself.
                    assertEquals(t, template.match(template.expand(t).pathAndQuery()), path);
                } else {
                    ConnectUdpRejection r = (ConnectUdpRejection) m;
                    assertTrue(r.httpStatus() == 400 || r.httpStatus() == 404, path);
                    assertFalse(r.details().isEmpty());
                    r.toProxyStatus("acip-gw").toHeaderValue();
                }
            } catch (RuntimeException | AssertionError e) {
                fail("for :path " + escape(path) + " on " + template + ": " + e, e);
            }
        }
    }

    @Test
    void everyTargetRoundTripsThroughEveryTemplate() {
        Random random = new Random(6570);
        for (int i = 0; i < 5_000; i++) {
            ConnectUdpTarget target = randomTarget(random);
            for (ConnectUdpTemplate template : TEMPLATES) {
                String path = template.expand(target).pathAndQuery();
                assertFalse(path.contains("%25"), path);
                assertEquals(target, template.match(path), path);
            }
        }
    }

    @Test
    void longInputsStayCheap() {
        String huge = "/.well-known/masque/udp/" + "a".repeat(1_000_000) + "/443/";
        assertTrue(TEMPLATES.get(0).match(huge) instanceof ConnectUdpRejection);
        String manySlashes = "/.well-known/masque/udp/" + "%".repeat(1_000_000);
        assertTrue(TEMPLATES.get(0).match(manySlashes) instanceof ConnectUdpRejection);
        String manyParams = "/masque?" + "x=1&".repeat(200_000) + "h=a&p=1";
        assertEquals(ConnectUdpTarget.of("a", 1), TEMPLATES.get(1).match(manyParams));
    }

    static ConnectUdpTarget randomTarget(Random random) {
        int port = 1 + random.nextInt(65535);
        switch (random.nextInt(3)) {
            case 0 -> {
                return ConnectUdpTarget.of(random.nextInt(256) + "." + random.nextInt(256) + "."
                        + random.nextInt(256) + "." + random.nextInt(256), port);
            }
            case 1 -> {
                byte[] a = new byte[16];
                random.nextBytes(a);
                for (int k = 0; k < 16; k++) {
                    if (random.nextInt(3) == 0) a[k] = 0; // zero runs exercise "::"
                }
                ConnectUdpTarget t = ConnectUdpTarget.of(TargetHost.formatIpv6(a), port);
                assertEquals(HostKind.IPV6, t.hostKind());
                return t;
            }
            default -> {
                StringBuilder name = new StringBuilder();
                int labels = 1 + random.nextInt(4);
                for (int l = 0; l < labels; l++) {
                    if (l > 0) name.append('.');
                    int len = 1 + random.nextInt(20);
                    for (int k = 0; k < len; k++) {
                        boolean edge = k == 0 || k == len - 1;
                        String chars = edge ? "abcdefghijklmnopqrstuvwxyz" : "abcxyz0189-";
                        name.append(chars.charAt(random.nextInt(chars.length())));
                    }
                }
                return ConnectUdpTarget.of(name.toString(), port);
            }
        }
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }
}
