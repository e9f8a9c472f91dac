package io.acip.gateway.registry;

import io.acip.gateway.config.ConfigException;
import io.acip.gateway.config.Durations;
import io.acip.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The {@code registry} section: checked (refusals name the field) and turned into the registry it describes. */
public final class RegistrySettings {
    static final Duration ETCD_LEASE = Duration.ofSeconds(30);
    static final Duration ETCD_TIMEOUT = Duration.ofSeconds(3);

    private RegistrySettings() {
    }

    /** {@code registry.lease}: {@link Duration#ZERO} for none ({@code off}, the file store's default). */
    public static Duration lease(GatewayConfig.Registry r) throws ConfigException {
        // YAML 1.1 reads a bare off as the boolean false.
        if ("off".equals(r.lease()) || "false".equals(r.lease())) return Duration.ZERO;
        Duration d = Durations.parse("registry.lease", r.lease(), r.etcd() == null ? Duration.ZERO : ETCD_LEASE);
        if (r.etcd() != null && !d.isZero() && (d.toMillis() % 1000 != 0 || d.toSeconds() < 2)) {
            throw new ConfigException("registry.lease: etcd leases are whole seconds, at least 2s (got " + r.lease()
                    + ")");
        }
        return d;
    }

    /** Checks the section as {@link #open} will read it. */
    public static void check(GatewayConfig.Registry r) throws ConfigException {
        lease(r);
        if (r.etcd() != null) etcd(r.etcd(), r);
    }

    private static EtcdRegistry.Settings etcd(GatewayConfig.Etcd e, GatewayConfig.Registry r) throws ConfigException {
        if (e.endpoints().isEmpty()) throw new ConfigException("registry.etcd.endpoints: list at least one etcd URL");
        for (int i = 0; i < e.endpoints().size(); i++) {
            String at = "registry.etcd.endpoints[" + i + "]";
            String v = e.endpoints().get(i);
            URI u;
            try {
                u = new URI(v == null ? "" : v);
            } catch (URISyntaxException x) {
                throw new ConfigException(at + ": '" + v + "' is not a URL: " + x.getReason());
            }
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || u.getPort() < 1) {
                throw new ConfigException(at + ": '" + v + "' must be http://host:port or https://host:port");
            }
            if ("http".equals(u.getScheme()) && e.tls() != null) {
                throw new ConfigException(at + ": '" + v + "' is http:// but registry.etcd.tls is set; use https://");
            }
        }
        if (e.prefix() == null || !e.prefix().startsWith("/") || !e.prefix().endsWith("/") || e.prefix().length() < 3) {
            throw new ConfigException("registry.etcd.prefix: '" + e.prefix() + "' must start and end with / and name "
                    + "the fabric, like /acip/prod/ (replicas that share a prefix share registrations)");
        }
        if ((e.user() == null) != (e.passwordFile() == null)) {
            throw new ConfigException("registry.etcd." + (e.user() == null ? "user" : "password_file")
                    + ": user and password_file go together");
        }
        Optional<EtcdRegistry.EtcdTlsFiles> tls = Optional.empty();
        if (e.tls() != null) {
            if (e.tls().ca() == null) throw new ConfigException("registry.etcd.tls.ca: required (etcd's CA, PEM)");
            if ((e.tls().certificate() == null) != (e.tls().key() == null)) {
                throw new ConfigException("registry.etcd.tls." + (e.tls().key() == null ? "key" : "certificate")
                        + ": certificate and key go together");
            }
            tls = Optional.of(new EtcdRegistry.EtcdTlsFiles(e.tls().ca(), Optional.ofNullable(e.tls().certificate()),
                    Optional.ofNullable(e.tls().key())));
        }
        Duration timeout = Durations.parse("registry.etcd.timeout", e.timeout(), ETCD_TIMEOUT);
        return new EtcdRegistry.Settings(List.copyOf(e.endpoints()), e.prefix(), Optional.ofNullable(e.user()),
                Optional.empty(), tls, timeout, lease(r));
    }

    /**
     * The registry the section describes; without {@code etcd}, the file store under {@code dataDir} (null: the
     * node's {@code data_dir} is not set, and registrations last as long as the process).
     */
    public static AgentRegistry open(GatewayConfig.Registry r, Path dataDir) throws ConfigException, IOException {
        if (r.etcd() == null) return new FileRegistry(dataDir == null ? null : dataDir.resolve("registry"), lease(r));
        EtcdRegistry.Settings s = etcd(r.etcd(), r);
        if (r.etcd().passwordFile() != null) {
            String password;
            try {
                password = Files.readString(Path.of(r.etcd().passwordFile())).strip();
            } catch (IOException x) {
                throw new ConfigException("registry.etcd.password_file: cannot read " + r.etcd().passwordFile() + ": "
                        + x.getMessage());
            }
            s = new EtcdRegistry.Settings(s.endpoints(), s.prefix(), s.user(), Optional.of(password), s.tls(),
                    s.timeout(), s.lease());
        }
        return new EtcdRegistry(s);
    }
}
