package io.acip.gateway.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.RequestInfo;
import java.net.InetSocketAddress;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The header rules, one per test: RFC 9110 §7.6.1 (hop-by-hop), §7.6.3 (Via), RFC 7239 (Forwarded). */
class OriginHeadersTest {
    private static List<String> names(HttpFields fields) {
        return fields.stream().map(f -> f.getName()).toList();
    }

    private static HttpFields toOrigin(RequestInfo request, boolean forwarded) {
        HttpFields.Mutable out = HttpFields.build();
        OriginHeaders.toOrigin(request, "gw", forwarded, out::add);
        return out;
    }

    @Test
    void fieldsTheConnectionFieldNamesAreRemovedTowardTheOrigin() {
        HttpFields out = toOrigin(TestExchange.request("GET", "/", "HTTP/1.1", Fields.of(
                "connection", "close, X-A,x-b", "x-a", "1", "x-b", "2", "x-c", "3")), false);
        assertEquals(List.of("x-c", "via"), names(out));
    }

    @Test
    void theFixedHopByHopSetIsRemovedTowardTheOrigin() {
        HttpFields out = toOrigin(TestExchange.request("POST", "/", "HTTP/1.1", Fields.of(
                "keep-alive", "timeout=5", "proxy-connection", "keep-alive", "transfer-encoding", "chunked",
                "upgrade", "h2c", "proxy-authorization", "Basic eA==", "te", "gzip")), false);
        assertEquals(List.of("via"), names(out));
    }

    @Test
    void teTrailersIsTheOneTeValueKept() {
        HttpFields out = toOrigin(TestExchange.request("GET", "/", "HTTP/2", Fields.of("te", "trailers")), false);
        assertEquals("trailers", out.get("te"));
    }

    @Test
    void hostLengthAndExpectAreLeftToTheClient() {
        HttpFields out = toOrigin(TestExchange.request("PUT", "/", "HTTP/1.1", Fields.of(
                "host", "agent.example", "content-length", "5", "expect", "100-continue")), false);
        assertEquals(List.of("via"), names(out));
    }

    @Test
    void pseudoFieldsNeverTravelAsHeaders() {
        Fields h2 = new Fields(List.of(new Field(":protocol", "websocket"), new Field("x-y", "z")));
        assertEquals(List.of("x-y", "via"), names(toOrigin(TestExchange.request("GET", "/", "HTTP/2", h2), false)));
    }

    @ParameterizedTest(name = "{0} -> Via: {1}")
    @CsvSource({"HTTP/1.1, 1.1 gw", "HTTP/1.0, 1.0 gw", "HTTP/2, 2 gw", "HTTP/3, 3 gw"})
    void viaNamesTheVersionTheRequestCameIn(String protocol, String via) {
        assertEquals(via, toOrigin(TestExchange.request("GET", "/", protocol, Fields.EMPTY), false).get("via"));
    }

    @Test
    void viaIsAppendedAfterEarlierHops() {
        HttpFields out = toOrigin(TestExchange.request("GET", "/", "HTTP/1.1", Fields.of("via", "1.1 edge")), false);
        assertEquals(List.of("1.1 edge", "1.1 gw"), out.getValuesList("via"));
    }

    @Test
    void forwardedDescribesTheAgent() {
        assertEquals("for=192.0.2.7;host=\"agent.example:8080\";proto=http",
                toOrigin(TestExchange.request("GET", "/", "HTTP/1.1", Fields.EMPTY), true).get("forwarded"));
    }

    @Test
    void forwardedQuotesAnIpv6Node() {
        RequestInfo v6 = new RequestInfo("GET", "https", "example.org", "/", Fields.EMPTY, "HTTP/2",
                RequestInfo.Form.ORIGIN, true, new InetSocketAddress("2001:db8::7", 4711), null);
        assertEquals("for=\"[2001:db8:0:0:0:0:0:7]\";host=example.org;proto=https",
                OriginHeaders.forwarded(v6).value());
    }

    @Test
    void hopByHopFieldsFromTheOriginAreRemovedAndViaAdded() throws Exception {
        HttpFields origin = HttpFields.build()
                .add("Connection", "X-Internal")
                .add("X-Internal", "node-4")
                .add("Keep-Alive", "timeout=5")
                .add("Transfer-Encoding", "chunked")
                .add("Proxy-Authenticate", "Basic")
                .add("Upgrade", "h2c")
                .add("Content-Length", "12")
                .add("Content-Type", "text/plain");
        Fields out = OriginHeaders.fromOrigin(OriginHeaders.received(origin, "header"), "HTTP/2", "gw");
        assertEquals(List.of("content-length", "content-type", "via"),
                out.lines().stream().map(Field::name).toList());
        assertEquals("2 gw", out.first("via").orElseThrow());
    }

    @Test
    void anInvalidOriginFieldIsAProtocolError() {
        HttpFields origin = HttpFields.build().add("x-bad", " padded ");
        OriginException e = assertThrows(OriginException.class,
                () -> OriginHeaders.received(origin, "header"));
        assertEquals(502, e.failure().status());
    }

    @Test
    void noTrailersIsEmpty() throws Exception {
        assertTrue(OriginHeaders.trailers(OriginHeaders.received((HttpFields) null, "trailer")).isEmpty());
        assertTrue(OriginHeaders.trailers(OriginHeaders.received(HttpFields.EMPTY, "trailer")).isEmpty());
    }
}
