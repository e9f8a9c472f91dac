package io.acip.gateway.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites the URLs of an Agent Card that point at the agent behind a far gateway so that they point at the gateway
 * as the requesting agent reached it. Every string value anywhere in the card is looked at, so A2A 0.3
 * ({@code url}, {@code additionalInterfaces[].url}), A2A 1.0 ({@code supportedInterfaces[].url}) and whatever else
 * names the agent (an icon, documentation, an OAuth endpoint it serves) are covered alike; a URL under one of the
 * agent's bases becomes the request base followed by the rest of its path, query and fragment. Everything else,
 * unknown fields included, passes untouched (numbers keep their exact value).
 */
public final class AgentCardUrls {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private AgentCardUrls() {
    }

    /**
     * @param agentBases the agent's own base URLs (as the far gateway reaches it), without trailing slash
     * @param requestBase what replaces them, e.g. {@code https://a2a.demo.acip} or
     *     {@code http://127.0.0.1:8080/skills/demo/a2a}
     * @return the rewritten card, or empty when {@code card} is not a JSON object (then it passes as it is)
     */
    public static Optional<byte[]> rewrite(byte[] card, List<URI> agentBases, String requestBase) {
        JsonNode root;
        try {
            root = JSON.readTree(card);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) return Optional.empty();
        walk(root, agentBases, requestBase);
        try {
            return Optional.of(JSON.writeValueAsBytes(root));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static void walk(JsonNode node, List<URI> bases, String requestBase) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual()) {
                    rewritten(e.getValue().textValue(), bases, requestBase).ifPresent(v -> e.setValue(TextNode.valueOf(v)));
                } else {
                    walk(e.getValue(), bases, requestBase);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                if (v.isTextual()) {
                    int at = i;
                    rewritten(v.textValue(), bases, requestBase).ifPresent(s -> a.set(at, TextNode.valueOf(s)));
                } else {
                    walk(v, bases, requestBase);
                }
            }
        }
    }

    /** {@code value} with its agent base replaced, or empty when it is not a URL under any of {@code bases}. */
    static Optional<String> rewritten(String value, List<URI> bases, String requestBase) {
        if (!value.regionMatches(true, 0, "http", 0, 4)) return Optional.empty();
        URI u;
        try {
            u = new URI(value);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (u.getScheme() == null || u.getHost() == null || u.isOpaque()) return Optional.empty();
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        for (URI base : bases) {
            if (!sameOrigin(u, base)) continue;
            String basePath = trimmed(base.getRawPath());
            if (!path.equals(basePath) && !path.startsWith(basePath + "/")) continue;
            StringBuilder out = new StringBuilder(requestBase).append(path, basePath.length(), path.length());
            if (u.getRawQuery() != null) out.append('?').append(u.getRawQuery());
            if (u.getRawFragment() != null) out.append('#').append(u.getRawFragment());
            return Optional.of(out.toString());
        }
        return Optional.empty();
    }

    private static boolean sameOrigin(URI a, URI b) {
        String scheme = a.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals(b.getScheme().toLowerCase(Locale.ROOT))
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a, scheme) == port(b, scheme);
    }

    private static int port(URI u, String scheme) {
        return u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
    }

    private static String trimmed(String path) {
        if (path == null) return "";
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
