package io.acip.capsule.proxystatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.acip.capsule.CodecException;
import io.acip.capsule.fuzz.AllocationBudget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Structured Field Values (RFC 8941) and Proxy-Status (RFC 9209) under Jazzer. Input: one byte saying how to read
 * the rest as text (ISO-8859-1, one char per byte as HTTP/1.1 reads, or UTF-8), then the field value. Contract: each
 * parser returns a value or raises {@link CodecException}, nothing else; what parses as Proxy-Status serialises to a
 * canonical form that parses to the same members and serialises identically; the typed accessors answer for any
 * member; an intermediary's member appended to a valid field (RFC 9209 §2) parses as one more member.
 */
@Timeout(10)
class ProxyStatusFuzzTest {
    @FuzzTest
    void proxyStatus(byte[] input) throws Exception {
        if (input.length == 0) return;
        String value = new String(input, 1, input.length - 1,
                (input[0] & 1) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        Object[] parsed = new Object[3];
        AllocationBudget.check(input, AllocationBudget.of(input, 256, 0), () -> {
            parsed[0] = parseOrNull(() -> ProxyStatus.parse(value));
            parsed[1] = parseOrNull(() -> StructuredFields.parseList(value));
            parsed[2] = parseOrNull(() -> StructuredFields.parseItem(value));
        });
        @SuppressWarnings("unchecked")
        List<ProxyStatus> members = (List<ProxyStatus>) parsed[0];
        if (parsed[2] != null) assertNotNull(((StructuredFields.Item) parsed[2]).value());
        if (members == null) return;
        assertNotNull(parsed[1], "a valid Proxy-Status is a valid List");
        assertEquals(members.size(), ((List<?>) parsed[1]).size());

        String canonical = ProxyStatus.toHeaderValue(members);
        List<ProxyStatus> again = ProxyStatus.parse(canonical);
        assertEquals(names(members), names(again));
        assertEquals(canonical, ProxyStatus.toHeaderValue(again));
        for (ProxyStatus m : members) {
            for (String key : m.params().keySet()) assertTrue(StructuredFields.isKey(key), key);
            m.error();
            m.errorToken();
            m.details();
            m.nextHop();
            m.rcode();
            m.receivedStatus();
            m.infoCode();
        }

        List<ProxyStatus> appended = ProxyStatus.parse(ProxyStatus.of("acip-gw")
                .withError(ProxyErrorType.DESTINATION_UNAVAILABLE).withDetails(value).appendTo(value));
        assertEquals(members.size() + 1, appended.size());
        assertEquals("acip-gw", appended.get(appended.size() - 1).proxy());
    }

    private static List<String> names(List<ProxyStatus> members) {
        List<String> out = new ArrayList<>();
        for (ProxyStatus m : members) out.add(m.proxy() + m.params().keySet());
        return out;
    }

    private interface Parse {
        Object run() throws CodecException;
    }

    private static Object parseOrNull(Parse parse) {
        try {
            return assertNotNullResult(parse.run());
        } catch (CodecException refused) {
            assertNotNull(refused.getMessage());
            return null;
        }
    }

    private static Object assertNotNullResult(Object o) {
        assertNotNull(o);
        return o;
    }
}
