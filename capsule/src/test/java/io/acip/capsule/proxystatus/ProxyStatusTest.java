package io.acip.capsule.proxystatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.capsule.CodecException;
import io.acip.capsule.proxystatus.StructuredFields.ByteSequence;
import io.acip.capsule.proxystatus.StructuredFields.Token;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Serialisation, byte for byte. */
class ProxyStatusTest {

    @Test
    void dnsErrorWithRcode() {
        // RFC 9209 §2.3.2: rcode is an sf-string.
        ProxyStatus ps = ProxyStatus.of("acip-gw").withError(ProxyErrorType.DNS_ERROR).withRcode("NXDOMAIN");
        assertEquals("acip-gw; error=dns_error; rcode=\"NXDOMAIN\"", ps.toHeaderValue());
    }

    @Test
    void dnsErrorWithInfoCodeIsAnInteger() {
        // RFC 9209 §2.3.2: info-code is an sf-integer (RFC 8914 Extended DNS Error).
        ProxyStatus ps = ProxyStatus.of("acip-gw").withError(ProxyErrorType.DNS_ERROR).withRcode("SERVFAIL")
                .withInfoCode(22);
        assertEquals("acip-gw; error=dns_error; rcode=\"SERVFAIL\"; info-code=22", ps.toHeaderValue());
    }

    @Test
    void nameOnly() {
        assertEquals("acip-gw", ProxyStatus.of("acip-gw").toHeaderValue());
    }

    @Test
    void nameThatIsNotATokenIsAString() {
        // RFC 9209 §2: a member is an sf-token or an sf-string ("Example CDN").
        assertEquals("\"Example CDN\"", ProxyStatus.of("Example CDN").toHeaderValue());
        assertEquals("\"1proxy\"", ProxyStatus.of("1proxy").toHeaderValue()); // a token cannot start with a digit
        assertEquals("\"\"", ProxyStatus.of("").toHeaderValue());
    }

    @Test
    void hostnameNameIsAToken() {
        assertEquals("proxy-3.example.com", ProxyStatus.of("proxy-3.example.com").toHeaderValue());
    }

    @Test
    void nameWithNonPrintableCharactersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProxyStatus.of("gw\r\nX-Injected: 1"));
        assertThrows(IllegalArgumentException.class, () -> ProxyStatus.of("gw\u00e9"));
    }

    @Test
    void detailsEscapeQuoteAndBackslash() {
        ProxyStatus ps = ProxyStatus.of("gw").withDetails("say \"hi\" to C:\\dir");
        assertEquals("gw; details=\"say \\\"hi\\\" to C:\\\\dir\"", ps.toHeaderValue());
    }

    @Test
    void detailsWithNonAsciiArePercentEncodedUtf8() {
        ProxyStatus ps = ProxyStatus.of("gw").withDetails("caf\u00e9 \u2603");
        assertEquals("gw; details=\"caf%c3%a9 %e2%98%83\"", ps.toHeaderValue());
    }

    @Test
    void detailsCannotSplitTheHeader() {
        ProxyStatus ps = ProxyStatus.of("gw").withDetails("a\r\nSet-Cookie: x\u0000");
        assertEquals("gw; details=\"a%0d%0aSet-Cookie: x%00\"", ps.toHeaderValue());
    }

    @Test
    void detailsWithALoneSurrogateGetAQuestionMark() {
        assertEquals(Optional.of("a?b"), ProxyStatus.of("gw").withDetails("a\ud800b").details());
    }

    @Test
    void longDetailsAreCutWithoutSplittingAnEscape() {
        String details = ProxyStatus.of("gw").withDetails("x".repeat(507) + "\u00e9".repeat(10)).details().get();
        // 507 + 6 would pass 512, and "..." must fit: the whole escape goes, not half of it.
        assertEquals("x".repeat(507) + "...", details);
        String exact = "y".repeat(ProxyStatus.MAX_TEXT_LENGTH);
        assertEquals(exact, ProxyStatus.of("gw").withDetails(exact).details().get());
        String over = ProxyStatus.of("gw").withDetails(exact + "z").details().get();
        assertEquals("y".repeat(ProxyStatus.MAX_TEXT_LENGTH - 3) + "...", over);
    }

    @Test
    void requestErrorWithASectionSignInTheDetails() {
        ProxyStatus ps = ProxyStatus.of("acip-gw").withError(ProxyErrorType.HTTP_REQUEST_ERROR)
                .withDetails("target_port is out of range 1..65535 (RFC 9298 §3)");
        assertEquals("acip-gw; error=http_request_error; "
                + "details=\"target_port is out of range 1..65535 (RFC 9298 %c2%a73)\"", ps.toHeaderValue());
    }

    @Test
    void nextHopIsATokenWhenItCanBe() {
        // RFC 9209 §2.1.2's example: next-hop=backend.example.org:8001
        assertEquals("cdn.example.org; next-hop=backend.example.org:8001",
                ProxyStatus.of("cdn.example.org").withNextHop("backend.example.org:8001").toHeaderValue());
        assertEquals("gw; next-hop=\"[2001:db8::1]:443\"", ProxyStatus.of("gw").withNextHop("[2001:db8::1]:443").toHeaderValue());
        assertEquals("gw; next-hop=\"192.0.2.1:53\"", ProxyStatus.of("gw").withNextHop("192.0.2.1:53").toHeaderValue());
    }

    @Test
    void nextProtocolIsATokenWhenItCanBeElseBinary() {
        // RFC 9209 §2.1.3: the token form MUST be used when possible.
        // RFC 9209 §2.1.3's example quotes the name; it is a valid token, so we write it bare (same member).
        assertEquals("proxy.example.org; next-protocol=h2",
                ProxyStatus.of("proxy.example.org").withNextProtocol("h2").toHeaderValue());
        assertEquals("gw; next-protocol=h3", ProxyStatus.of("gw").withNextProtocol("h3").toHeaderValue());
        assertEquals("gw; next-protocol=:aDIgYw==:", ProxyStatus.of("gw").withNextProtocol("h2 c").toHeaderValue());
    }

    @Test
    void receivedStatus() {
        // RFC 9209 §2.1.4's example.
        assertEquals("ExampleProxy; received-status=200",
                ProxyStatus.of("ExampleProxy").withReceivedStatus(200).toHeaderValue());
    }

    @Test
    void settingAParameterAgainReplacesItInPlace() {
        ProxyStatus ps = ProxyStatus.of("gw").withError(ProxyErrorType.DNS_ERROR).withDetails("a")
                .withError(ProxyErrorType.DNS_TIMEOUT);
        assertEquals("gw; error=dns_timeout; details=\"a\"", ps.toHeaderValue());
    }

    @Test
    void genericParametersOfEveryType() {
        ProxyStatus ps = ProxyStatus.of("gw")
                .with("a", 1L).with("b", new BigDecimal("-2.50")).with("c", "s").with("d", new Token("t/1"))
                .with("e", new ByteSequence(new byte[] {1, 2})).with("f", true).with("g", false)
                .with("h", new BigDecimal("3")).with("i", new BigDecimal("0.0005"));
        assertEquals("gw; a=1; b=-2.5; c=\"s\"; d=t/1; e=:AQI=:; f; g=?0; h=3.0; i=0.0", ps.toHeaderValue());
    }

    @Test
    void invalidParametersAreRefused() {
        ProxyStatus gw = ProxyStatus.of("gw");
        assertThrows(IllegalArgumentException.class, () -> gw.with("Error", new Token("x"))); // keys are lowercase
        assertThrows(IllegalArgumentException.class, () -> gw.with("1a", 1L));
        assertThrows(IllegalArgumentException.class, () -> gw.with("", 1L));
        assertThrows(IllegalArgumentException.class, () -> gw.with("a", 1_000_000_000_000_000L));
        assertThrows(IllegalArgumentException.class, () -> gw.with("a", new BigDecimal("1000000000000")));
        assertThrows(IllegalArgumentException.class, () -> gw.with("a", "line\nbreak"));
        assertThrows(IllegalArgumentException.class, () -> gw.with("a", 1.5d)); // use BigDecimal for sf-decimal
        assertThrows(IllegalArgumentException.class, () -> gw.with("a", new byte[] {1})); // use ByteSequence
        assertThrows(IllegalArgumentException.class, () -> new Token("1abc"));
        assertThrows(NullPointerException.class, () -> gw.with("a", null));
    }

    @Test
    void intIsHeldAsLong() {
        assertEquals(ProxyStatus.of("gw").with("a", 7L), ProxyStatus.of("gw").with("a", 7));
        assertEquals("gw; a=7", ProxyStatus.of("gw").with("a", 7).toHeaderValue());
    }

    @Test
    void typedAccessors() {
        ProxyStatus ps = ProxyStatus.of("gw").withError(ProxyErrorType.DNS_ERROR).withRcode("NXDOMAIN")
                .withInfoCode(3).withNextHop("ns.example").withReceivedStatus(502).withDetails("d");
        assertEquals(Optional.of(ProxyErrorType.DNS_ERROR), ps.error());
        assertEquals(Optional.of("dns_error"), ps.errorToken());
        assertEquals(Optional.of("NXDOMAIN"), ps.rcode());
        assertEquals(OptionalLong.of(3), ps.infoCode());
        assertEquals(Optional.of("ns.example"), ps.nextHop());
        assertEquals(OptionalInt.of(502), ps.receivedStatus());
        assertEquals(Optional.of("d"), ps.details());
        assertEquals(Optional.empty(), ProxyStatus.of("gw").error());
    }

    @Test
    void typedAccessorsSkipValuesOfTheWrongType() {
        ProxyStatus ps = ProxyStatus.of("gw").with("received-status", "200").with("info-code", new Token("x"))
                .with("details", 5L);
        assertEquals(OptionalInt.empty(), ps.receivedStatus());
        assertEquals(OptionalLong.empty(), ps.infoCode());
        assertEquals(Optional.empty(), ps.details());
        assertEquals(OptionalInt.empty(), ProxyStatus.of("gw").with("received-status", 99L).receivedStatus());
    }

    @Test
    void membersJoinClosestToTheOriginFirst() {
        // RFC 9209 §2's example.
        assertEquals("FooProxy, ExampleCDN",
                ProxyStatus.toHeaderValue(List.of(ProxyStatus.of("FooProxy"), ProxyStatus.of("ExampleCDN"))));
        assertEquals("", ProxyStatus.toHeaderValue(List.of()));
    }

    @Test
    void appendToPreservesWhatTheNextHopSent() {
        // RFC 9209 §2: SHOULD preserve existing members; the new one goes last.
        ProxyStatus mine = ProxyStatus.of("ThisProxy");
        assertEquals("SomeOtherProxy, ThisProxy", mine.appendTo("SomeOtherProxy"));
        assertEquals("a;x=\"y\", ThisProxy", mine.appendTo("a;x=\"y\" "));
        assertEquals("ThisProxy", mine.appendTo(null));
        assertEquals("ThisProxy", mine.appendTo("  "));
    }

    @Test
    void whatWeWriteReadsBackEqual() throws CodecException {
        List<ProxyStatus> members = List.of(
                ProxyStatus.of("origin-lb").withReceivedStatus(503),
                ProxyStatus.of("Example CDN").withError(ProxyErrorType.TLS_ALERT_RECEIVED).with("alert-id", 40L)
                        .with("alert-message", new Token("handshake_failure")),
                ProxyStatus.of("acip-gw").withError(ProxyErrorType.DNS_ERROR).withRcode("NXDOMAIN").withInfoCode(22)
                        .withDetails("caf\u00e9 \"quoted\" \\ back").withNextHop("[::1]:53").withNextProtocol("h 3")
                        .with("x-ratio", new BigDecimal("0.125")).with("x-flag", true).with("x-off", false));
        String value = ProxyStatus.toHeaderValue(members);
        assertEquals(members, ProxyStatus.parse(value));
        assertEquals(value, ProxyStatus.toHeaderValue(ProxyStatus.parse(value)));
    }

    @Test
    void paramsAreImmutable() {
        ProxyStatus ps = ProxyStatus.of("gw").withDetails("d");
        assertThrows(UnsupportedOperationException.class, () -> ps.params().put("x", 1L));
    }
}
