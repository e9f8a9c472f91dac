package io.acip.gateway.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.wire.SkillName;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentCardTest {
    private static final SkillName TRAVEL = new SkillName("travel");

    @Test
    void readsAnA2a03Card() throws Exception {
        AgentRegistration r = AgentCard.parse(Fixtures.bytes("card-v03.json"), TRAVEL);

        assertEquals("Travel Agent", r.agent());
        assertEquals(URI.create("http://127.0.0.1:9999/a2a/v1"), r.origin());
        assertTrue(r.udp().isEmpty());
        assertEquals(List.of("travel/book-flight", "travel/search-hotels"),
                r.skills().stream().map(s -> s.name().value()).toList());
        AgentSkill book = r.skills().get(0);
        assertEquals("Books a flight given origin, destination and dates", book.description());
        assertEquals(Map.of("a2a-id", "book-flight", "tags", "travel,flights"), book.attributes());
        AgentSkill hotels = r.skills().get(1);
        assertEquals("Search hotels", hotels.description(), "the skill's name stands in for a missing description");
        assertEquals(Map.of("a2a-id", "Search Hotels!"), hotels.attributes());
    }

    @Test
    void readsAnA2a10CardPreferringAnHttpBinding() throws Exception {
        AgentRegistration r = AgentCard.parse(Fixtures.bytes("card-v10.json"), new SkillName("bank-a/fx"));

        assertEquals("Currency Agent", r.agent());
        assertEquals(URI.create("http://127.0.0.1:9999/a2a/jsonrpc"), r.origin(), "GRPC is listed first but skipped");
        assertEquals(List.of("bank-a/fx/convert_currency", "bank-a/fx/rates-latest"),
                r.skills().stream().map(s -> s.name().value()).toList());
    }

    @Test
    void takesTheFirstInterfaceWhenNoneIsHttp() throws Exception {
        AgentRegistration r = AgentCard.parse(Fixtures.json("""
                {"name":"g","supportedInterfaces":[{"url":"https://g.example/rpc","protocolBinding":"GRPC"}],
                 "skills":[{"id":"x"}]}"""), TRAVEL);

        assertEquals(URI.create("https://g.example/rpc"), r.origin());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "book-flight        | book-flight",
        "Book Flight        | book-flight",
        "convert_currency   | convert_currency",
        "rates.latest       | rates-latest",
        "--a//b--           | a-b",
        "Zürich-Hotels      | z-rich-hotels",
        "UPPER123           | upper123",
        "'  spaced  out  '  | spaced-out",
        "'***'              | ''",
        "日本               | ''",
    })
    void normalisesSkillIds(String id, String segment) {
        assertEquals(segment, AgentCard.segment(id));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"name\":\"a\",\"skills\":[{\"id\":\"x\"}]}"
            + "| url: missing (a card gives either url, A2A 0.3, or supportedInterfaces, A2A 1.0)",
        "{\"name\":\"a\",\"url\":\"ftp://x.example\",\"skills\":[{\"id\":\"x\"}]}"
            + "| url: must be an absolute http or https URL (got 'ftp://x.example')",
        "{\"name\":\"a\",\"url\":\"http://x.example\",\"skills\":[]}"
            + "| skills: must list at least one skill to attach",
        "{\"name\":\"a\",\"url\":\"http://x.example\"}"
            + "| skills: missing",
        "{\"name\":\"a\",\"url\":\"http://x.example\",\"skills\":[{\"id\":\"x\"},{\"id\":\"y\"},{\"id\":\"\"}]}"
            + "| skills[2].id: must not be empty",
        "{\"name\":\"a\",\"url\":\"http://x.example\",\"skills\":[{\"id\":\"x\"},{\"id\":7}]}"
            + "| skills[1].id: must be a string",
        "{\"name\":\"a\",\"url\":\"http://x.example\",\"skills\":[{\"id\":\"日本\"}]}"
            + "| skills[0].id: '日本' has no letter or digit to make a skill name from",
        "{\"name\":\"a\",\"url\":\"http://x.example\",\"skills\":[{\"id\":\"Book Flight\"},{\"id\":\"book_flight\"},"
            + "{\"id\":\"book flight\"}]}"
            + "| skills[2].id: normalises to travel/book-flight, as the id at skills[0] does",
        "{\"name\":\"a\",\"url\":\"http://x.example\",\"skills\":[\"x\"]}"
            + "| skills[0]: must be an object",
        "{\"name\":\"a\",\"url\":\"http://x.example\",\"skills\":[{\"id\":\"x\",\"tags\":\"t\"}]}"
            + "| skills[0].tags: must be an array",
        "{\"url\":\"http://x.example\",\"skills\":[{\"id\":\"x\"}]}"
            + "| name: missing",
        "{\"name\":\"a\",\"supportedInterfaces\":[],\"skills\":[{\"id\":\"x\"}]}"
            + "| supportedInterfaces: must list at least one interface",
        "{\"name\":\"a\",\"supportedInterfaces\":[{\"protocolBinding\":\"JSONRPC\"}],\"skills\":[{\"id\":\"x\"}]}"
            + "| supportedInterfaces[0].url: missing",
        "[1,2]"
            + "| $: must be a JSON object",
    })
    void refusesMalformedCardsNamingTheField(String json, String message) {
        RegistrationException e = assertThrows(RegistrationException.class,
                () -> AgentCard.parse(Fixtures.json(json), TRAVEL));
        assertEquals(message, e.getMessage());
    }

    @Test
    void refusesAnIdTooLongForASegment() {
        String id = "x".repeat(64);
        RegistrationException e = assertThrows(RegistrationException.class, () -> AgentCard.parse(Fixtures.json(
                "{\"name\":\"a\",\"url\":\"http://x.example\",\"skills\":[{\"id\":\"" + id + "\"}]}"), TRAVEL));
        assertEquals("skills[0].id", e.path());
    }

    @Test
    void refusesWhatIsNotJson() {
        RegistrationException e = assertThrows(RegistrationException.class,
                () -> AgentCard.parse(Fixtures.json("{\"name\": \"a\",, }"), TRAVEL));
        assertEquals("$", e.path());
        assertTrue(e.problem().startsWith("not valid JSON at line 1"), e.problem());
    }

    @Test
    void refusesDuplicateKeys() {
        RegistrationException e = assertThrows(RegistrationException.class, () -> AgentCard.parse(Fixtures.json(
                "{\"name\":\"a\",\"name\":\"b\",\"url\":\"http://x.example\",\"skills\":[{\"id\":\"x\"}]}"), TRAVEL));
        assertTrue(e.problem().contains("Duplicate field 'name'"), e.problem());
    }
}
