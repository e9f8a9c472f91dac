package io.acip.gateway.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Card rewriting for A2A 0.3 and 1.0 cards: what points at the agent moves to the request base, nothing else. */
class AgentCardUrlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<URI> AGENT = List.of(URI.create("http://10.0.0.5:9000/a2a"));
    private static final String BASE = "http://127.0.0.1:8080/skills/demo/a2a";

    private static JsonNode rewrite(String card, String base) throws Exception {
        byte[] out = AgentCardUrls.rewrite(card.getBytes(StandardCharsets.UTF_8), AGENT, base).orElseThrow();
        return JSON.readTree(out);
    }

    @Test
    void a2a03CardUrlAndAdditionalInterfaces() throws Exception {
        JsonNode c = rewrite("""
                {"protocolVersion":"0.3.0","name":"n","url":"http://10.0.0.5:9000/a2a","preferredTransport":"JSONRPC",
                 "additionalInterfaces":[{"url":"http://10.0.0.5:9000/a2a","transport":"JSONRPC"},
                                         {"url":"http://10.0.0.5:9000/a2a/rest","transport":"HTTP+JSON"},
                                         {"url":"grpc://10.0.0.5:9001","transport":"GRPC"}],
                 "iconUrl":"http://10.0.0.5:9000/a2a/icon.png?size=2#x",
                 "documentationUrl":"https://docs.example/agent",
                 "skills":[{"id":"echo","name":"Echo","tags":["demo"]}]}""", BASE);
        assertEquals(BASE, c.get("url").asText());
        assertEquals(BASE, c.at("/additionalInterfaces/0/url").asText());
        assertEquals(BASE + "/rest", c.at("/additionalInterfaces/1/url").asText());
        assertEquals("grpc://10.0.0.5:9001", c.at("/additionalInterfaces/2/url").asText(), "not HTTP: left alone");
        assertEquals(BASE + "/icon.png?size=2#x", c.get("iconUrl").asText());
        assertEquals("https://docs.example/agent", c.get("documentationUrl").asText());
        assertEquals("demo", c.at("/skills/0/tags/0").asText());
    }

    @Test
    void a2a10SupportedInterfacesToAnInterceptedHost() throws Exception {
        JsonNode c = rewrite("""
                {"name":"n","version":"1","supportedInterfaces":[
                   {"url":"http://10.0.0.5:9000/a2a/","protocolBinding":"JSONRPC","protocolVersion":"1.0"},
                   {"url":"HTTP://10.0.0.5:9000/a2a/v1","protocolBinding":"HTTP+JSON","protocolVersion":"1.0"}],
                 "provider":{"organization":"o","url":"http://10.0.0.5:9000/"},
                 "capabilities":{"streaming":true},"skills":[]}""", "https://a2a.demo.acip");
        assertEquals("https://a2a.demo.acip/", c.at("/supportedInterfaces/0/url").asText());
        assertEquals("https://a2a.demo.acip/v1", c.at("/supportedInterfaces/1/url").asText());
        assertEquals("1.0", c.at("/supportedInterfaces/0/protocolVersion").asText());
        assertEquals("http://10.0.0.5:9000/", c.at("/provider/url").asText(), "outside the agent's base: left alone");
    }

    @Test
    void unknownFieldsAndNumbersPassUntouched() throws Exception {
        String card = """
                {"url":"http://10.0.0.5:9000/a2a","x-vendor":{"deep":[1,2.50,{"k":null,"url":"http://elsewhere/a2a"}]},
                 "price":12345678901234567890.000001,"flag":false}""";
        byte[] raw = AgentCardUrls.rewrite(card.getBytes(StandardCharsets.UTF_8), AGENT, BASE).orElseThrow();
        assertTrue(new String(raw, StandardCharsets.UTF_8).contains("\"price\":12345678901234567890.000001,"));
        JsonNode c = JSON.readTree(raw);
        JsonNode in = JSON.readTree(card);
        assertEquals(in.get("x-vendor"), c.get("x-vendor"));
        assertEquals(List.of("url", "x-vendor", "price", "flag"), iterable(c.fieldNames()));
    }

    @Test
    void urlsMatchByOriginAndWholePathSegments() {
        assertEquals(Optional.of(BASE), AgentCardUrls.rewritten("http://10.0.0.5:9000/a2a", AGENT, BASE));
        assertEquals(Optional.empty(), AgentCardUrls.rewritten("http://10.0.0.5:9000/a2a2", AGENT, BASE));
        assertEquals(Optional.empty(), AgentCardUrls.rewritten("http://10.0.0.5:9001/a2a", AGENT, BASE));
        assertEquals(Optional.empty(), AgentCardUrls.rewritten("https://10.0.0.5:9000/a2a", AGENT, BASE));
        List<URI> defaultPort = List.of(URI.create("http://agent.internal"));
        assertEquals(Optional.of("https://a.demo.acip/x"),
                AgentCardUrls.rewritten("http://AGENT.internal:80/x", defaultPort, "https://a.demo.acip"));
        assertEquals(Optional.empty(), AgentCardUrls.rewritten("not a url", AGENT, BASE));
    }

    @Test
    void notAnObjectIsLeftAsItIs() {
        assertTrue(AgentCardUrls.rewrite("[1]".getBytes(), AGENT, BASE).isEmpty());
        assertTrue(AgentCardUrls.rewrite("{".getBytes(), AGENT, BASE).isEmpty());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        java.util.List<T> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }
}
