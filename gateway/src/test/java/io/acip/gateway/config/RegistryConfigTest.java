package io.acip.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.registry.RegistrySettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The {@code registry} section: the file store by default, etcd when set; every refusal names its field. */
class RegistryConfigTest {
    private static final String ETCD = """
            node:
              id: edge-a
            registry:
              lease: 20s
              card_renewal: false
              etcd:
                endpoints: [https://127.0.0.1:2379, "https://[::1]:2379"]
                prefix: /acip/prod/
                user: acip
                password_file: /etc/acip/etcd.password
                timeout: 2s
                tls:
                  ca: /etc/acip/etcd-ca.pem
                  certificate: /etc/acip/etcd-client.pem
                  key: /etc/acip/etcd-client-key.pem
            """;

    @Test
    void readsTheEtcdSection() throws ConfigException {
        GatewayConfig c = ConfigLoader.parse(ETCD);
        assertEquals(List.of("https://127.0.0.1:2379", "https://[::1]:2379"), c.registry().etcd().endpoints());
        assertEquals("/acip/prod/", c.registry().etcd().prefix());
        assertEquals("/etc/acip/etcd-ca.pem", c.registry().etcd().tls().ca());
        assertEquals(false, c.registry().cardRenewal());
        assertEquals(Duration.ofSeconds(20), RegistrySettings.lease(c.registry()));
    }

    @Test
    void withoutTheSectionTheFileStoreHoldsRegistrationsWithoutALease() throws ConfigException {
        GatewayConfig c = ConfigLoader.parse("node:\n  id: solo\n");
        assertEquals(null, c.registry().etcd());
        assertEquals(Duration.ZERO, RegistrySettings.lease(c.registry()));
        assertTrue(c.registry().cardRenewal());
        GatewayConfig etcd = ConfigLoader.parse("node:\n  id: a\nregistry:\n  etcd:\n    endpoints: [http://127.0.0.1:2379]\n"
                + "    prefix: /acip/x/\n");
        assertEquals(Duration.ofSeconds(30), RegistrySettings.lease(etcd.registry()));
        assertEquals(Duration.ZERO, RegistrySettings.lease(ConfigLoader.parse(
                "node:\n  id: a\nregistry:\n  lease: off\n  etcd:\n    endpoints: [http://127.0.0.1:2379]\n    prefix: /p/x/\n")
                .registry()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{lease: 1500ms, etcd: {endpoints: ['http://127.0.0.1:2379'], prefix: /acip/x/}}|registry.lease: etcd leases are whole seconds",
        "{lease: 1s, etcd: {endpoints: ['http://127.0.0.1:2379'], prefix: /acip/x/}}|registry.lease: etcd leases are whole seconds, at least 2s",
        "lease: soon|registry.lease: 'soon' is not a duration",
        "etcd: {prefix: /acip/x/}|registry.etcd.endpoints: list at least one",
        "etcd: {endpoints: [127.0.0.1:2379], prefix: /acip/x/}|registry.etcd.endpoints[0]: '127.0.0.1:2379' ",
        "etcd: {endpoints: ['http://127.0.0.1'], prefix: /acip/x/}|registry.etcd.endpoints[0]:",
        "etcd: {endpoints: ['http://127.0.0.1:2379'], prefix: /acip/x/, tls: {ca: c.pem}}|registry.etcd.endpoints[0]: 'http://127.0.0.1:2379' is http:// but registry.etcd.tls is set",
        "etcd: {endpoints: ['http://127.0.0.1:2379']}|registry.etcd.prefix: 'null' must start and end with /",
        "etcd: {endpoints: ['http://127.0.0.1:2379'], prefix: acip}|registry.etcd.prefix: 'acip' must start and end with /",
        "etcd: {endpoints: ['http://127.0.0.1:2379'], prefix: /acip/x/, user: u}|registry.etcd.password_file: user and password_file go together",
        "etcd: {endpoints: ['https://127.0.0.1:2379'], prefix: /acip/x/, tls: {certificate: c.pem, key: k.pem}}|registry.etcd.tls.ca: required",
        "etcd: {endpoints: ['https://127.0.0.1:2379'], prefix: /acip/x/, tls: {ca: c.pem, key: k.pem}}|registry.etcd.tls.certificate: certificate and key go together",
        "etcd: {endpoints: ['http://127.0.0.1:2379'], prefix: /acip/x/, timeout: 0s}|registry.etcd.timeout: must be more than zero",
        "etcd: {endpoints: ['http://127.0.0.1:2379'], prefix: /acip/x/, password: x}|registry.etcd.password: Unrecognized field",
    })
    void refusesABadSectionNamingTheField(String section, String message) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("node:\n  id: a\nregistry:" + (section.startsWith("{") ? " " : "\n  ")
                        + section + "\n"));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
