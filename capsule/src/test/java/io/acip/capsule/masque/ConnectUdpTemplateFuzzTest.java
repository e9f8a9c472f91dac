package io.acip.capsule.masque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.acip.capsule.fuzz.AllocationBudget;
import io.acip.capsule.masque.ConnectUdpTarget.HostKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The RFC 9298 URI template under Jazzer: {@link ConnectUdpTemplate#parse} of configured templates and
 * {@link ConnectUdpTemplate#match} of request paths, with the round trips and cost bounds that hold for any input.
 */
@Timeout(10)
class ConnectUdpTemplateFuzzTest {

    private static final List<ConnectUdpTemplate> TEMPLATES = List.of(
            ConnectUdpTemplate.defaultFor("proxy.example"),
            ConnectUdpTemplate.parse("https://proxy.example/masque?h={target_host}&p={target_port}"),
            ConnectUdpTemplate.parse("https://proxy.example/masque{?target_host,target_port}"),
            ConnectUdpTemplate.parse("https://proxy.example/udp/{target_host,target_port}"),
            ConnectUdpTemplate.parse("https://proxy.example/m?{target_host}=on&p={target_port}"));

    /** Targets of every kind, to check that a template the parser accepts matches what it expands to. */
    private static final List<ConnectUdpTarget> TARGETS = List.of(ConnectUdpTarget.of("192.0.2.1", 443),
            ConnectUdpTarget.of("2001:db8::1", 53), ConnectUdpTarget.of("example.com", 1),
            ConnectUdpTarget.of("a-b.c0", 65535));

    /**
     * A configured template: parse returns a template or refuses it with IllegalArgumentException, nothing else. One
     * it accepts is matchable without guessing (its class comment's promise): every target's expansion matches back
     * to that target. Input: one byte saying how to read the rest as text (ISO-8859-1 or UTF-8), then the template.
     */
    @FuzzTest
    void parse(byte[] input) throws Exception {
        String text = text(input);
        if (text == null) return;
        ConnectUdpTemplate[] parsed = new ConnectUdpTemplate[1];
        AllocationBudget.check(input, AllocationBudget.of(input, 256, 0), () -> {
            try {
                parsed[0] = ConnectUdpTemplate.parse(text);
            } catch (IllegalArgumentException refused) {
                assertNotNull(refused.getMessage());
                parsed[0] = null;
            }
        });
        ConnectUdpTemplate template = parsed[0];
        if (template == null) return;
        assertEquals(template, ConnectUdpTemplate.parse(template.toString()));
        assertTrue(template.scheme().equals("https") || template.scheme().equals("http"));
        for (ConnectUdpTarget target : TARGETS) {
            String path = template.expand(target).pathAndQuery();
            assertEquals(target, template.match(path), () -> template + " expanded to " + path);
        }
    }

    /**
     * A request's :path: match() answers with a target or a rejection and never throws. Anything accepted is a valid
     * target that re-expands and matches to itself; a rejection is 400 or 404 with details and renders as a
     * Proxy-Status member. Input: one byte picking the template and how to read the rest as text, then the path.
     */
    @FuzzTest
    void match(byte[] input) throws Exception {
        String path = text(input);
        if (path == null) return;
        ConnectUdpTemplate template = TEMPLATES.get(((input[0] & 0xFF) >> 1) % TEMPLATES.size());
        ConnectUdpMatch[] matched = new ConnectUdpMatch[1];
        AllocationBudget.check(input, AllocationBudget.of(input, 256, 0), () -> matched[0] = template.match(path));
        ConnectUdpMatch m = matched[0];
        assertNotNull(m, path);
        if (m instanceof ConnectUdpTarget t) {
            assertEquals(t, template.match(template.expand(t).pathAndQuery()), path);
        } else {
            ConnectUdpRejection r = (ConnectUdpRejection) m;
            assertTrue(r.httpStatus() == 400 || r.httpStatus() == 404, path);
            assertFalse(r.details().isEmpty());
            r.toProxyStatus("acip-gw").toHeaderValue();
        }
    }

    /** The input after its option byte, as ISO-8859-1 (one char per byte, as HTTP/1.1 reads) or UTF-8. */
    private static String text(byte[] input) {
        if (input.length == 0) return null;
        return new String(input, 1, input.length - 1,
                (input[0] & 1) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
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
}
