package io.acip.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a reload may apply and what needs a restart, by the fields' paths (docs/operations.md, Reloading). */
class ConfigDiffTest {
    private static final String BASE = "node: {id: a, listen: 127.0.0.1:7000, routes: [{prefix: x, via: b}]}\n"
            + "http: {name: a, listen: 127.0.0.1:8080, skills: [x/y]}\n";

    private static GatewayConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml);
    }

    private static List<String> restart(String extraBefore, String before, String after) throws ConfigException {
        return ConfigDiff.needingRestart(parse(before + extraBefore), parse(after + extraBefore));
    }

    @Test
    void reloadableSectionsChangeFreely() throws Exception {
        GatewayConfig a = parse(BASE);
        GatewayConfig b = parse(BASE.replace("routes: [{prefix: x, via: b}]", "routes: [{prefix: x, via: c}]")
                .replace("skills: [x/y]", "skills: [x/y, x/z]") + "policy: [{skills: [x], allow: [anonymous]}]\n"
                + "auth: {anonymous: true}\n");
        assertEquals(List.of(), ConfigDiff.needingRestart(a, b));
        assertEquals(List.of("node.routes", "http.skills", "auth", "policy"), ConfigDiff.reloaded(a, b));
    }

    @Test
    void everythingElseNeedsARestartAndIsNamed() throws Exception {
        assertEquals(List.of("node.id"), restart("", BASE, BASE.replace("id: a", "id: b")));
        assertEquals(List.of("node.listen", "http.listen"), restart("", BASE, BASE.replace("7000", "7001")
                .replace("8080", "8081")));
        assertEquals(List.of("logging.format"), restart("", BASE, BASE + "logging: {format: json}\n"));
        assertEquals(List.of("shutdown.drain_timeout"), restart("", BASE, BASE + "shutdown: {drain_timeout: 5s}\n"));
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void theListenersClientTrustIsPinnedInsideAuth() throws Exception {
        io.acip.tls.FabricCa.loadOrCreate(dir, "clients");
        GatewayConfig a = parse(BASE + "auth: {anonymous: true}\n");
        GatewayConfig b = parse(BASE + "auth: {anonymous: true, mtls: {trust: " + dir.resolve("ca.pem") + "}}\n");
        assertEquals(List.of("auth.mtls.trust"), ConfigDiff.needingRestart(a, b));
        assertEquals(List.of("auth.mtls.trust"), ConfigDiff.needingRestart(parse(BASE), b), "auth added whole");
    }
}
