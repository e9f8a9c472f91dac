package io.acip.tls.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityUriTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NODE  | n1                  | acip://node/n1",
        "NODE  | eu-west/7           | acip://node/eu-west%2F7",
        "SKILL | demo/echo           | acip://skill/demo/echo",
        "SKILL | bank-a/payments/authorize | acip://skill/bank-a/payments/authorize",
        "SKILL | team ü/echo?x#y     | acip://skill/team%20%C3%BC/echo%3Fx%23y",
        "SKILL | 50%/a+b:c@d         | acip://skill/50%25/a%2Bb%3Ac%40d",
        "SKILL | 🤖/a.b_c~d          | acip://skill/%F0%9F%A4%96/a.b_c~d",
        "SKILL | ...                 | acip://skill/...",
    })
    void encodesEachSegmentAndParsesBack(IdentityUri.Kind kind, String name, String uri) {
        IdentityUri id = new IdentityUri(kind, name);
        assertEquals(uri, id.uri());
        assertEquals(uri, URI.create(uri).toString()); // a valid RFC 3986 URI as java.net.URI sees it
        assertEquals(Optional.of(id), IdentityUri.parse(uri));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ACIP://Skill/demo/echo | SKILL | demo/echo",  // scheme and host are case-insensitive (RFC 3986 §6.2.2.1)
        "acip://skill/a!b       | SKILL | a!b",        // sub-delims may be left bare by other encoders
        "acip://skill/%c3%bc    | SKILL | ü",          // lower-case hex is the same octet
        "acip://node/n%31       | NODE  | n1",
    })
    void parsesEquivalentSpellings(String uri, IdentityUri.Kind kind, String name) {
        assertEquals(Optional.of(new IdentityUri(kind, name)), IdentityUri.parse(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://skill/x", "acip://agent/x", "acip://skill", "acip://skill/", "acip://node/",
        "acip://skill/a//b", "acip://skill/a/", "acip://skill/a/../b", "acip://skill/%2E%2E/b", "acip://skill/.",
        "acip://skill/a%2Fb", "acip://node/a/b", "acip://skill/a%zz", "acip://skill/a%4", "acip://skill/a%",
        "acip://skill/a b", "acip://skill/x?q", "acip://skill/x#f", "acip://skill/%C3", "acip://skill/%FF",
        "acip://user@skill/x", "acip://skill:443/x",
    })
    void refusesMalformedOrAmbiguous(String uri) {
        assertEquals(Optional.empty(), IdentityUri.parse(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a//b", "/a", "a/", ".", "x/..", "bad\uD800surrogate"})
    void refusesSkillNamesThatCannotRoundTrip(String name) {
        assertThrows(IllegalArgumentException.class, () -> IdentityUri.skill(name));
    }

    @Test
    void refusesEmptyAndDotNodeIds() {
        assertThrows(IllegalArgumentException.class, () -> IdentityUri.node(""));
        assertThrows(IllegalArgumentException.class, () -> IdentityUri.node(".."));
        assertEquals("acip://node/a%2F..", IdentityUri.node("a/..").uri()); // one segment: '/' is encoded
    }
}
