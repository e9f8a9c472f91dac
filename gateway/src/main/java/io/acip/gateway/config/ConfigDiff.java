package io.acip.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What differs between a running configuration and a new one, by the fields' paths as the file names them, split
 * into what a reload applies ({@link #RELOADABLE}) and what needs a restart (listen addresses, node ID, links,
 * certificates, ...).
 */
public final class ConfigDiff {
    /** Sections a reload applies without dropping sessions in flight. */
    public static final List<String> RELOADABLE = List.of("node.routes", "http.rules", "http.skills", "auth", "policy",
            "agents");
    /** Inside a reloadable section, what the listeners were built with at start. */
    private static final List<String> PINNED = List.of("auth.mtls.trust");
    private static final ObjectMapper TREE = new ObjectMapper();

    private ConfigDiff() {
    }

    /** Paths of the fields that differ and need a restart, in document order; empty when a reload can apply. */
    public static List<String> needingRestart(GatewayConfig running, GatewayConfig next) {
        Set<String> out = new LinkedHashSet<>();
        walk(TREE.valueToTree(running), TREE.valueToTree(next), "", out);
        return List.copyOf(out);
    }

    /** The reloadable sections that differ. */
    public static List<String> reloaded(GatewayConfig running, GatewayConfig next) {
        JsonNode a = TREE.valueToTree(running);
        JsonNode b = TREE.valueToTree(next);
        List<String> out = new ArrayList<>();
        for (String section : RELOADABLE) {
            if (!at(a, section).equals(at(b, section))) out.add(section);
        }
        return out;
    }

    private static JsonNode at(JsonNode n, String path) {
        for (String part : path.split("\\.")) n = n.path(part);
        return n;
    }

    private static void walk(JsonNode a, JsonNode b, String path, Set<String> out) {
        if (a.equals(b)) return;
        if (PINNED.contains(path)) {
            out.add(path);
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) walk(a.path(name), b.path(name), path.isEmpty() ? name : path + "." + name, out);
            return;
        }
        if (!reloadable(path)) {
            out.add(path);
            return;
        }
        // A reloadable section added, removed or replaced whole: a pinned field inside it still counts.
        for (String pinned : PINNED) {
            if (pinned.startsWith(path + ".")) {
                String rest = pinned.substring(path.length() + 1);
                JsonNode was = at(a, rest);
                JsonNode now = at(b, rest);
                if (!(was.isMissingNode() || was.isNull()) || !(now.isMissingNode() || now.isNull())) {
                    if (!was.equals(now)) out.add(pinned);
                }
            }
        }
    }

    private static boolean reloadable(String path) {
        for (String r : RELOADABLE) if (path.equals(r) || path.startsWith(r + ".")) return true;
        return false;
    }
}
