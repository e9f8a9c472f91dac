package io.acip.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.seal.AttestedInitiator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InitiatorFieldsTest {
    @Test
    void whateverTheAgentSentUnderTheseNamesIsRemoved() {
        Fields sent = Fields.of("accept", "*/*", "Acip-Initiator", "apikey:root", "acip-initiator-groups", "admins",
                "ACIP-ATTESTED-BY", "edge", "acip-trajectory", "x");
        assertEquals(List.of(new Field("accept", "*/*"), new Field("acip-trajectory", "x")),
                InitiatorFields.strip(sent).lines());
    }

    @Test
    void underscoreSpellingsAreRemovedToo() {
        // CGI-style gateways fold acip_initiator and acip-initiator into one HTTP_ACIP_INITIATOR.
        Fields sent = Fields.of("acip_initiator", "apikey:ops", "Acip_Initiator_Groups", "admins", "acip_attested-by",
                "edge", "x_forwarded_for", "1.2.3.4");
        assertEquals(List.of(new Field("x_forwarded_for", "1.2.3.4")), InitiatorFields.strip(sent).lines());
    }

    @Test
    void anAttestedInitiatorBecomesThreeFieldsAndAnUnattestedOneNone() {
        assertEquals(List.of(new Field("acip-initiator", "apikey:ci"), new Field("acip-initiator-groups", "ci,ops"),
                new Field("acip-attested-by", "edge-1")),
                InitiatorFields.of(Optional.of(new AttestedInitiator("apikey:ci", List.of("ci", "ops"), "edge-1"))));
        assertEquals(List.of(new Field("acip-initiator", "apikey:ci"), new Field("acip-attested-by", "edge-1")),
                InitiatorFields.of(Optional.of(new AttestedInitiator("apikey:ci", List.of(), "edge-1"))));
        assertEquals(List.of(), InitiatorFields.of(Optional.empty()));
    }
}
