package io.acip.gateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.gateway.policy.Principal;
import io.acip.node.SessionRequest;
import io.acip.wire.SkillName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who a session is opened as (docs/acip-v0.md §7.6). */
class InitiatorTest {
    private static final SkillName SKILL = new SkillName("demo/echo");

    @Test
    void anAnonymousAgentIsNamedByItsAddressAndNotAttested() throws Exception {
        SessionRequest r = Initiator.request(SKILL, Principal.ANONYMOUS, "http",
                new java.net.InetSocketAddress("192.0.2.7", 5000), false, List.of());
        assertEquals("http://192.0.2.7", r.initiator());
        assertNull(r.attestation());
    }

    @Test
    void anAuthenticatedPrincipalIsTheAttestedInitiator() throws Exception {
        Principal p = new Principal("https://issuer.example/user-1", List.of("ci", "ops"), Principal.Method.JWT);
        SessionRequest r = Initiator.request(SKILL, p, "udp", new java.net.InetSocketAddress("192.0.2.7", 5000), true,
                List.of());
        assertEquals("https://issuer.example/user-1", r.initiator());
        assertEquals(List.of("ci", "ops"), r.attestation().groups());
        assertEquals(true, r.datagramMode());
    }

    @Test
    void bytesOutsideVisibleAsciiArePercentEncoded() {
        assertEquals("https://issuer.example/J%C3%BCrgen%20M", Initiator.uri("https://issuer.example/Jürgen M"));
        assertEquals("apikey:ci-bot", Initiator.uri("apikey:ci-bot"));
        // '%' itself is encoded, so "é" and an identity spelling "%C3%A9" never attest alike.
        assertEquals("x%C3%A9", Initiator.uri("xé"));
        assertEquals("x%25C3%25A9", Initiator.uri("x%C3%A9"));
    }

    @Test
    void groupsThatCannotBeCarriedAreLeftOutNeverInvented() {
        List<String> many = new ArrayList<>(List.of("a,b", "Domain Users", "ci", "ci", ""));
        for (int i = 0; i < 40; i++) many.add("g" + i);
        List<String> carried = Initiator.carried(many);
        assertEquals("ci", carried.get(0));
        assertEquals(32, carried.size());
        assertEquals("g30", carried.get(31));
    }

    @Test
    void anIdentityTooLongForASetupIsRefused() {
        Principal p = new Principal("apikey:" + "x".repeat(300), List.of(), Principal.Method.API_KEY);
        assertThrows(Initiator.Uncarried.class, () -> Initiator.request(SKILL, p, "http", null, false, List.of()));
    }
}
