package io.acip.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.RegistrationDocument;
import io.acip.gateway.attach.RegistrationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A run-time registration as the registry keeps it: the registration document as the agent posted it (so every
 * node reads it with the same {@link RegistrationDocument} rules), who registered it, the skills it claims, the
 * node that accepted it and when.
 *
 * @param owner the admin caller that registered it, as the admin listener names it
 * @param node the node that accepted it
 */
public record Registration(String agent, String document, String owner, List<String> skills, String node,
                           Instant registered) {
    static final ObjectMapper JSON = new ObjectMapper();

    public Registration {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(document, "document");
        owner = owner == null ? "" : owner;
        skills = List.copyOf(skills);
        node = node == null ? "" : node;
        Objects.requireNonNull(registered, "registered");
    }

    /** The record of {@code agent}, registered now through {@code document}. */
    public static Registration of(AgentRegistration agent, byte[] document, String owner, String node) {
        return new Registration(agent.agent(), new String(document, StandardCharsets.UTF_8), owner,
                agent.skills().stream().map(s -> s.name().value()).toList(), node, Instant.now());
    }

    /** The agent the document describes; refused if it no longer reads (another version wrote it) or names another. */
    public AgentRegistration parse() throws RegistrationException {
        AgentRegistration r = RegistrationDocument.parse(document.getBytes(StandardCharsets.UTF_8));
        if (!r.agent().equals(agent)) {
            throw new RegistrationException("agent", "the document names agent '" + r.agent() + "', not '" + agent + "'");
        }
        return r;
    }

    /** Whether {@code other} registers the same thing (when and where aside): applying it again changes nothing. */
    boolean sameAs(Registration other) {
        return other != null && agent.equals(other.agent) && document.equals(other.document)
                && owner.equals(other.owner);
    }

    /** As stored: a JSON object, with the backend's own members ({@code extra}) beside. */
    ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("agent", agent).put("owner", owner).put("node", node).put("registered", registered.toString());
        skills.forEach(o.putArray("skills")::add);
        o.put("document", document);
        return o;
    }

    byte[] toBytes(ObjectNode json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    /** Reads what {@link #toJson} wrote; any other shape is an {@link IOException} naming what is wrong. */
    static Registration fromJson(JsonNode o) throws IOException {
        if (o == null || !o.isObject()) throw new IOException("not a JSON object");
        List<String> skills = new ArrayList<>();
        JsonNode list = o.get("skills");
        if (list == null || !list.isArray()) throw new IOException("skills: not a list");
        for (JsonNode s : list) skills.add(text(s, "skills[]"));
        try {
            Registration r = new Registration(text(o.get("agent"), "agent"), text(o.get("document"), "document"),
                    text(o.get("owner"), "owner"), skills, text(o.get("node"), "node"),
                    Instant.parse(text(o.get("registered"), "registered")));
            r.parse(); // a document this node cannot read is refused here, not when a session arrives
            return r;
        } catch (RegistrationException e) {
            throw new IOException("document: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage());
        }
    }

    static Registration fromBytes(byte[] bytes) throws IOException {
        return fromJson(JSON.readTree(bytes));
    }

    private static String text(JsonNode n, String field) throws IOException {
        if (n == null || !n.isTextual()) throw new IOException(field + ": missing or not a string");
        return n.asText();
    }
}
