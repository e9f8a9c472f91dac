package io.acip.gateway.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.wire.SkillName;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistrationDocumentTest {
    @Test
    void readsTheDocumentedExample() throws Exception {
        AgentRegistration r = RegistrationDocument.parse(Fixtures.bytes("registration.json"));

        assertEquals("travel", r.agent());
        assertEquals(URI.create("http://10.0.0.5:8080/agent"), r.origin());
        assertEquals(Optional.of(new UdpEndpoint("10.0.0.5", 4433)), r.udp());
        AgentSkill book = r.skill(new SkillName("travel/book-flight")).orElseThrow();
        assertEquals("Books a flight", book.description());
        assertEquals(Optional.of("eu-west-1"), book.region());
        assertEquals(Map.of("gpu", "false", "tier", "gold", "replicas", "3"), book.attributes());
        assertEquals("/flights", book.pathPrefix(), "a trailing slash is dropped");
        assertEquals(URI.create("http://10.0.0.5:8080/agent/flights"), r.originFor(book));
        AgentSkill search = r.skill(new SkillName("travel/search")).orElseThrow();
        assertEquals("", search.pathPrefix());
        assertEquals(URI.create("http://10.0.0.5:8080/agent"), r.originFor(search));
    }

    @Test
    void acceptsAnIpv6UdpEndpoint() throws Exception {
        AgentRegistration r = RegistrationDocument.parse(Fixtures.json(
                "{\"agent\":\"a\",\"origin\":\"http://[::1]:8080\",\"udp\":\"[::1]:4433\",\"skills\":[{\"name\":\"a/b\"}]}"));

        assertEquals(Optional.of(new UdpEndpoint("::1", 4433)), r.udp());
        assertEquals("[::1]:4433", r.udp().orElseThrow().toString());
    }

    @Test
    void aSkillMayTakeUdpElsewhereThanItsAgent() throws Exception {
        AgentRegistration r = RegistrationDocument.parse(Fixtures.json("{\"agent\":\"a\",\"origin\":\"http://h.example\","
                + "\"udp\":\"10.0.0.5:4433\",\"skills\":[{\"name\":\"a/b\"},{\"name\":\"a/voice\",\"udp\":\"10.0.0.6:5004\"}]}"));
        assertEquals(Optional.empty(), r.skills().get(0).udp());
        assertEquals(Optional.of(new UdpEndpoint("10.0.0.6", 5004)), r.skills().get(1).udp());
    }

    @Test
    void byteTunnelsAreTakenOnlyWhenDeclared() throws Exception {
        AgentRegistration r = RegistrationDocument.parse(Fixtures.json("{\"agent\":\"a\",\"origin\":\"http://h.example\","
                + "\"skills\":[{\"name\":\"a/b\"},{\"name\":\"a/ssh\",\"tunnel\":\"tcp\"}]}"));
        assertEquals(false, r.skills().get(0).tcpTunnel());
        assertEquals(true, r.skills().get(1).tcpTunnel());
    }

    @Test
    void aSkillMayNameWhoMayCallIt() throws Exception {
        AgentRegistration r = RegistrationDocument.parse(Fixtures.json("{\"agent\":\"a\",\"origin\":\"http://h.example\","
                + "\"skills\":[{\"name\":\"a/b\",\"allow\":[\"group:ci\",\"identity:apikey:x\"]},{\"name\":\"a/c\"}]}"));
        assertEquals("[group:ci, identity:apikey:x]", r.skills().get(0).allow().orElseThrow().toString());
        assertEquals(Optional.empty(), r.skills().get(1).allow());
    }

    @Test
    void aSkillMayDeclareItsCapacity() throws Exception {
        AgentRegistration r = RegistrationDocument.parse(Fixtures.json("{\"agent\":\"a\",\"origin\":\"http://h.example\","
                + "\"skills\":[{\"name\":\"a/b\",\"capacity\":8},{\"name\":\"a/c\"}]}"));
        assertEquals(8, r.skills().get(0).capacity());
        assertEquals(AgentSkill.DEFAULT_CAPACITY, r.skills().get(1).capacity());
    }

    private static final String OK_HEAD = "{\"agent\":\"a\",\"origin\":\"http://h.example\",";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\"}],\"colour\":\"red\"}"
            + "| colour: unknown field (expected one of agent, origin, udp, skills)",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"descripton\":\"x\"}]}"
            + "| skills[0].descripton: unknown field (expected one of name, description, region, attributes, pathPrefix, udp, allow, tunnel, capacity)",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"tunnel\":\"udp\"}]}"
            + "| skills[0].tunnel: must be tcp or absent",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"capacity\":0}]}"
            + "| skills[0].capacity: must be a whole number from 1 to 1000000",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"capacity\":\"8\"}]}"
            + "| skills[0].capacity: must be a whole number from 1 to 1000000",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"udp\":\"10.0.0.5:0\"}]}"
            + "| skills[0].udp: port out of 1..65535: 0",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"pathPrefix\":\"/flight//\"}]}"
            + "| skills[0].pathPrefix: holds an empty segment ('//')",
        OK_HEAD + "\"udp\":\"[[pt]:443\",\"skills\":[{\"name\":\"a/b\"}]}"
            + "| udp: not an IPv6 literal in brackets: '[[pt]:443'",
        OK_HEAD + "\"udp\":\"[voice.example]:443\",\"skills\":[{\"name\":\"a/b\"}]}"
            + "| udp: not an IPv6 literal in brackets: '[voice.example]:443'",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"allow\":[\"admins\"]}]}"
            + "| skills[0].allow: \"admins\" is not group:<name>, identity:<uri>, authenticated or anonymous",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"allow\":[]}]}"
            + "| skills[0].allow: lists nobody (leave allow out to serve everyone)",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\"},{\"name\":\"A/B\"}]}"
            + "| skills[1].name: invalid skill name 'A/B': character 'A' not allowed (a-z 0-9 - _ and / between segments)",
        OK_HEAD + "\"skills\":[{\"name\":\"a//b\"}]}"
            + "| skills[0].name: invalid skill name 'a//b': empty segment",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\"},{\"name\":\"a/b\"}]}"
            + "| skills[1].name: 'a/b' is already listed at skills[0]",
        OK_HEAD + "\"skills\":[]}"
            + "| skills: must list at least one skill",
        OK_HEAD + "\"skills\":{}}"
            + "| skills: must be an array",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"pathPrefix\":\"flights\"}]}"
            + "| skills[0].pathPrefix: must start with '/'",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"pathPrefix\":\"/f?x=1\"}]}"
            + "| skills[0].pathPrefix: holds '?', which a path cannot",
        OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"attributes\":{\"gpu\":[true]}}]}"
            + "| skills[0].attributes.gpu: must be a string, number or boolean",
        OK_HEAD + "\"udp\":\"10.0.0.5\",\"skills\":[{\"name\":\"a/b\"}]}"
            + "| udp: expected host:port, got '10.0.0.5'",
        OK_HEAD + "\"udp\":\"10.0.0.5:70000\",\"skills\":[{\"name\":\"a/b\"}]}"
            + "| udp: port out of 1..65535: 70000",
        "{\"agent\":\"a\",\"origin\":\"http://u:p@h.example\",\"skills\":[{\"name\":\"a/b\"}]}"
            + "| origin: must not carry user info (got 'http://u:p@h.example')",
        "{\"agent\":\"a\",\"origin\":\"h.example:80\",\"skills\":[{\"name\":\"a/b\"}]}"
            + "| origin: must be an absolute http or https URL (got 'h.example:80')",
        "{\"agent\":\"a\",\"origin\":\"http://h.example/a b\",\"skills\":[{\"name\":\"a/b\"}]}"
            + "| origin: not a URL: Illegal character in path",
        "{\"agent\":\"  \",\"origin\":\"http://h.example\",\"skills\":[{\"name\":\"a/b\"}]}"
            + "| agent: must not be empty",
        "{\"origin\":\"http://h.example\",\"skills\":[{\"name\":\"a/b\"}]}"
            + "| agent: missing",
    })
    void refusesBadDocumentsNamingTheField(String json, String message) {
        RegistrationException e = assertThrows(RegistrationException.class,
                () -> RegistrationDocument.parse(Fixtures.json(json)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void refusesDocumentsOverOneMebibyte() {
        byte[] big = new byte[(1 << 20) + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        RegistrationException e = assertThrows(RegistrationException.class, () -> RegistrationDocument.parse(big));
        assertEquals("$", e.path());
    }

    @Test
    void aFieldWithAnEmptyOrPathLikeNameIsQuotedInThePath() {
        // Found by RegistrationDocumentFuzzTest: an unknown member named "" was refused with an empty path (the input
        // as found ended in "]}" too, which is now refused as content after the document).
        byte[] found = ("{\"agent\":\"a\",\"origin\":\"https://[::1]:8443\",\"udp\":\"[2001:db8::1]:4433\","
                + "\"\":\"@/\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        RegistrationException e = assertThrows(RegistrationException.class, () -> RegistrationDocument.parse(found));
        assertEquals("\"\"", e.path());
        e = assertThrows(RegistrationException.class, () -> RegistrationDocument.parse(Fixtures.json(
                OK_HEAD + "\"skills\":[{\"name\":\"a/b\",\"x.y\":1}]}")));
        assertEquals("skills[0].\"x.y\"", e.path());
    }

    @org.junit.jupiter.api.Test
    void contentAfterTheDocumentIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(RegistrationException.class, () -> RegistrationDocument.parse(
                "{\"agent\":\"a\",\"origin\":\"http://127.0.0.1:9\",\"skills\":[{\"name\":\"x/y\"}]} ]}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
