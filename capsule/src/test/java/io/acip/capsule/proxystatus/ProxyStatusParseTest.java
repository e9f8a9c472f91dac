package io.acip.capsule.proxystatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.acip.capsule.CodecException;
import io.acip.capsule.proxystatus.StructuredFields.Token;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading what a next hop sends. */
class ProxyStatusParseTest {

    @Test
    void rfc9209ListOfIntermediaries() throws CodecException {
        assertEquals(List.of(ProxyStatus.of("FooProxy"), ProxyStatus.of("ExampleCDN")),
                ProxyStatus.parse("FooProxy, ExampleCDN"));
    }

    @Test
    void rfc9209ErrorOnTheFirstMember() throws CodecException {
        List<ProxyStatus> members = ProxyStatus.parse("SomeReverseProxy; error=http_request_error, SomeCDN");
        assertEquals(2, members.size());
        assertEquals("SomeReverseProxy", members.get(0).proxy());
        assertEquals(Optional.of(ProxyErrorType.HTTP_REQUEST_ERROR), members.get(0).error());
        assertEquals(Optional.empty(), members.get(1).error());
    }

    @Test
    void rfc9209ErrorWrittenAsAStringIsStillRead() throws CodecException {
        // RFC 9209 §2.1.5's example quotes the error type, though §2.1.1 makes it a token.
        ProxyStatus ps = ProxyStatus.parse("ExampleProxy; error=\"http_protocol_error\"; "
                + "details=\"Malformed response header - space before colon\"").get(0);
        assertEquals(Optional.of(ProxyErrorType.HTTP_PROTOCOL_ERROR), ps.error());
        assertEquals(Optional.of("Malformed response header - space before colon"), ps.details());
    }

    @Test
    void quotedNameEqualsTheTokenName() throws CodecException {
        assertEquals(ProxyStatus.parse("proxy.example.org; next-protocol=h2"),
                ProxyStatus.parse("\"proxy.example.org\"; next-protocol=h2"));
    }

    @Test
    void unregisteredErrorTypeKeepsItsToken() throws CodecException {
        ProxyStatus ps = ProxyStatus.parse("ThisProxy; error=read_timeout").get(0);
        assertEquals(Optional.of("read_timeout"), ps.errorToken());
        assertEquals(Optional.empty(), ps.error());
    }

    @Test
    void unknownParametersAreKeptAndWrittenBack() throws CodecException {
        String value = "gw; x-vendor=:AQID:; x-ratio=1.5; x-on; received-status=200";
        ProxyStatus ps = ProxyStatus.parse(value).get(0);
        assertEquals(OptionalInt.of(200), ps.receivedStatus());
        assertEquals(value, ps.toHeaderValue());
    }

    @Test
    void parametersWithoutSpaceAfterSemicolonAreTheSame() throws CodecException {
        assertEquals(ProxyStatus.parse("gw; error=dns_error; rcode=\"NXDOMAIN\""),
                ProxyStatus.parse("gw;error=dns_error;rcode=\"NXDOMAIN\""));
    }

    @Test
    void repeatedParameterKeepsTheLastValue() throws CodecException {
        // RFC 8941 §4.2.3.2: a repeated key overwrites.
        ProxyStatus ps = ProxyStatus.parse("gw; error=dns_error; error=dns_timeout").get(0);
        assertEquals(Optional.of(ProxyErrorType.DNS_TIMEOUT), ps.error());
        assertEquals(1, ps.params().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t \t"})
    void emptyFieldIsAnEmptyList(String value) throws CodecException {
        assertEquals(List.of(), ProxyStatus.parse(value));
    }

    @Test
    void surroundingWhitespaceIsIgnored() throws CodecException {
        assertEquals(List.of(ProxyStatus.of("a"), ProxyStatus.of("b")), ProxyStatus.parse(" \ta ,\t b \t"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "(a b)",                     // inner list: RFC 9209 §2 wants a token or string
        "gw, (a b)",
        "42",                        // integer member
        "?1",                        // boolean member
        ":AQID:",                    // byte sequence member
        "1.5",
        "gw,",                       // trailing comma
        ",gw",
        "gw,,other",
        "gw other",                  // missing comma
        "gw; Error=dns_error",       // keys are lowercase
        "gw; error=",                // missing value
        "gw; =x",
        "gw;; error=x",
        "gw; details=\"unterminated",
        "gw; details=\"bad \\n escape\"",
        "gw; details=\"tab\tinside\"",
        "gw; details=\"caf\u00e9\"",
        "gw; x=:not base64!:",
        "gw; x=:AQ",
        "gw; x=1234567890123456",    // 16-digit integer
        "gw; x=1.2345",              // 4 fractional digits
        "gw; x=1.",
        "gw; x=-",
        "gw; x=?2",
        "gw; x=\u00e9",
        "\"unterminated",
        "gw\u0000",
        "\u00e9",
    })
    void malformedFieldsAreCodecExceptions(String value) {
        assertThrows(CodecException.class, () -> ProxyStatus.parse(value));
    }

    @Test
    void randomAndMutatedInputOnlyEverFailWithCodecException() {
        Random random = new Random(9209);
        String seed = "acip-gw; error=dns_error; rcode=\"NXDOMAIN\"; info-code=22; x=:AQID:; y=1.5; z=?0, (a b);c, \"n\"";
        String alphabet = " \t,;=\"\\:()?*-._/0123456789abcxyzAZ\u00e9\u0000";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(random.nextBoolean() ? seed : "");
            int edits = 1 + random.nextInt(6);
            for (int e = 0; e < edits; e++) {
                int at = s.length() == 0 ? 0 : random.nextInt(s.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> s.insert(at, c);
                    case 1 -> { if (at < s.length()) s.deleteCharAt(at); }
                    default -> { if (at < s.length()) s.setCharAt(at, c); }
                }
            }
            String value = s.toString();
            try {
                List<ProxyStatus> parsed = ProxyStatus.parse(value);
                // Whatever parses must write out to something that parses back equal.
                assertEquals(parsed, ProxyStatus.parse(ProxyStatus.toHeaderValue(parsed)), value);
            } catch (CodecException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("unexpected " + e + " for input: " + value, e);
            }
        }
    }

    @Test
    void tokenParametersStayTokens() throws CodecException {
        ProxyStatus ps = ProxyStatus.parse("gw; coding=gzip; next-hop=\"a b\"").get(0);
        assertEquals(Optional.of(new Token("gzip")), ps.param("coding"));
        assertEquals(Optional.of("a b"), ps.nextHop());
    }
}
