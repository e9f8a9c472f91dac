package io.acip.gateway.attach;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON value and its path in the document, so every refusal can say where ({@code skills[2].id}). Absent and
 * {@code null} are the same: both mean "not given".
 */
record JsonAt(JsonNode node, String path) {
    /** Largest document accepted, by the parsers and the card fetcher alike. */
    static final int MAX_DOCUMENT_BYTES = 1 << 20;

    // One document: content after it (`{...} garbage`) is refused, not ignored.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    static JsonAt parse(byte[] json) throws RegistrationException {
        if (json.length > MAX_DOCUMENT_BYTES) {
            throw new RegistrationException("$", "document larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || root.isMissingNode()) throw new RegistrationException("$", "empty document");
            JsonAt at = new JsonAt(root, "$");
            if (!root.isObject()) throw at.error("must be a JSON object");
            return at;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new RegistrationException("$", "not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RegistrationException("$", "unreadable: " + e.getMessage());
        }
    }

    boolean present() {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    JsonAt field(String name) {
        return new JsonAt(present() ? node.get(name) : null, path.equals("$") ? step(name) : path + "." + step(name));
    }

    /** A member's name as a path step: one that is empty or holds path syntax is quoted, so the path says where. */
    private static String step(String name) {
        boolean plain = !name.isEmpty() && name.chars().noneMatch(c -> c == '.' || c == '[' || c == ']' || c == '"'
                || c == '\\' || Character.isISOControl(c) || Character.isWhitespace(c));
        return plain ? name : "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    RegistrationException error(String problem) {
        return new RegistrationException(path, problem);
    }

    /** A required non-blank string. */
    String text() throws RegistrationException {
        if (!present()) throw error("missing");
        if (!node.isTextual()) throw error("must be a string");
        String s = node.textValue();
        if (s.isBlank()) throw error("must not be empty");
        return s;
    }

    Optional<String> optionalText() throws RegistrationException {
        return present() ? Optional.of(text()) : Optional.empty();
    }

    /** The elements of a required array, each with its own path. */
    List<JsonAt> elements() throws RegistrationException {
        if (!present()) throw error("missing");
        if (!node.isArray()) throw error("must be an array");
        List<JsonAt> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) out.add(new JsonAt(node.get(i), path + "[" + i + "]"));
        return out;
    }

    /** A required object's members, in document order. */
    List<Map.Entry<String, JsonAt>> members() throws RegistrationException {
        if (!present()) throw error("missing");
        if (!node.isObject()) throw error("must be an object");
        List<Map.Entry<String, JsonAt>> out = new ArrayList<>(node.size());
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            out.add(Map.entry(name, field(name)));
        }
        return out;
    }

    /** Refuses members other than {@code known}: a typo in our own documents is an error, not a silent default. */
    void onlyKnown(String... known) throws RegistrationException {
        for (Map.Entry<String, JsonAt> m : members()) {
            if (!List.of(known).contains(m.getKey())) {
                throw m.getValue().error("unknown field (expected one of " + String.join(", ", known) + ")");
            }
        }
    }
}
