package io.acip.gateway.admin;

import io.acip.gateway.AgentAttachment;
import io.acip.gateway.GatewayMetrics;
import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AttachRefusedException;
import io.acip.gateway.attach.RegistrationDocument;
import io.acip.gateway.attach.RegistrationException;
import io.acip.gateway.config.Addresses;
import io.acip.gateway.config.ConfigException;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.registry.AgentRegistry;
import io.acip.gateway.registry.Registration;
import io.acip.node.Node;
import io.acip.tls.FabricCa;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;

/**
 * The admin listener: {@code GET /metrics} (Prometheus text), {@code GET /healthz}, {@code GET /routes},
 * {@code GET /} (the status page) and {@code GET /status} (what it shows), {@code GET /agents}, {@code POST /reload} (read the configuration file again),
 * {@code POST /agents} (attach an agent from a registration document, body up to 1 MiB), {@code DELETE
 * /agents/<name>}, {@code PUT /agents/<name>/lease} (renew a registration's lease), {@code POST /drain} (drain and stop the node, as on SIGTERM). {@link AdminGate} decides who gets in; {@link AttachScope} and {@link AgentAttachment} what a
 * registration may take. TLS when {@code admin.client_ca} or {@code admin.tls_certificate} is set.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AdminServer.class.getName());
    private static final int MAX_BODY = 1 << 20;
    private final Server server;
    private final ServerConnector connector;

    private AdminServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** @param drain starts the node's drain ({@code POST /drain}); the future completes once it has stopped */
    public static AdminServer start(GatewayConfig.Admin config, FabricCa ca, Node node, AgentAttachment agents,
                                    AgentRegistry registry, GatewayMetrics metrics,
                                    Supplier<CompletableFuture<Void>> drain, Reload reload) throws Exception {
        InetSocketAddress address = Addresses.parse("admin.listen", config.listen());
        AdminToken token = config.tokenFile() == null ? null : AdminToken.load(config.tokenFile());
        AdminTls tls = config.tls() ? AdminTls.of(config, address, ca) : null;
        AdminGate gate = new AdminGate(config.allowedOrigins(), token, tls, config.metricsPublic());
        AttachScope scope = new AttachScope(config.attachAllowed());
        Server server = new Server();
        ServerConnector connector = tls == null ? new ServerConnector(server) : tlsConnector(server, tls);
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        server.setHandler(new Endpoints(gate, scope, node, agents, registry, metrics, drain, reload));
        server.start();
        if (!config.credentialed()) {
            LOG.warning("admin listener on " + address.getHostString() + ":" + connector.getLocalPort()
                    + " takes no credentials (neither admin.token_file nor admin.client_ca is set): any local user or "
                    + "process may attach agents; set admin.token_file to require a token");
        }
        return new AdminServer(server, connector);
    }

    private static ServerConnector tlsConnector(Server server, AdminTls tls) {
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer(false)); // exposes the client certificate; no SNI check
        return new ServerConnector(server, new SslConnectionFactory(tls.context(), "http/1.1"),
                new HttpConnectionFactory(https));
    }

    /** {@code POST /reload}: the node reads its file again; the sections that changed. */
    @FunctionalInterface
    public interface Reload {
        List<String> reload() throws ConfigException;
    }

    /** The endpoints, behind the gate. */
    private static final class Endpoints extends Handler.Abstract {
        private final AdminGate gate;
        private final AttachScope scope;
        private final Node node;
        private final AgentAttachment agents;
        private final AgentRegistry registry;
        private final GatewayMetrics metrics;
        private final Supplier<CompletableFuture<Void>> drain;
        private final Reload reload;

        Endpoints(AdminGate gate, AttachScope scope, Node node, AgentAttachment agents, AgentRegistry registry,
                  GatewayMetrics metrics, Supplier<CompletableFuture<Void>> drain, Reload reload) {
            this.reload = reload;
            this.gate = gate;
            this.scope = scope;
            this.node = node;
            this.agents = agents;
            this.registry = registry;
            this.metrics = metrics;
            this.drain = drain;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            AdminGate.Admission who = gate.admit(request);
            if (who.refusal() != null) return problem(response, callback, who.refusal());
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            if (method.equals("GET") && (path.equals("/") || path.equals("/status.js"))) {
                StatusPage.Resource page = path.equals("/") ? StatusPage.HTML : StatusPage.SCRIPT;
                response.getHeaders().put("Content-Security-Policy", StatusPage.POLICY);
                response.getHeaders().put("X-Content-Type-Options", "nosniff");
                return send(response, callback, 200, page.type(), page.body());
            }
            if (method.equals("GET") && path.equals("/status")) {
                return send(response, callback, 200, "application/json", StatusReport.json(node, metrics));
            }
            if (method.equals("GET") && path.equals("/metrics")) {
                return send(response, callback, 200, "text/plain; version=0.0.4", metrics.prometheus());
            }
            if (method.equals("GET") && path.equals("/healthz")) {
                List<String> up = node.connectedNeighbours().get(5, TimeUnit.SECONDS);
                int sessions = node.activeSessions().get(5, TimeUnit.SECONDS);
                int labels = node.linkLabels().get(5, TimeUnit.SECONDS).size();
                return send(response, callback, 200, "application/json", "{\"node\":\"" + node.nodeId()
                        + "\",\"neighbours\":" + jsonList(up) + ",\"sessions\":" + sessions + ",\"labels\":" + labels
                        + ",\"registry\":" + registryJson() + "}");
            }
            if (method.equals("GET") && path.equals("/routes")) {
                return send(response, callback, 200, "application/json", RouteListing.json(node));
            }
            if (method.equals("GET") && path.equals("/agents")) {
                return send(response, callback, 200, "application/json", AgentListing.json(agents));
            }
            if (method.equals("POST") && path.equals("/agents")) {
                // Resolving the registration's names blocks: off the thread that delivered the body.
                Content.Source.asByteBufferAsync(request, MAX_BODY).whenCompleteAsync((body, failure) -> {
                    if (failure != null) {
                        problem(response, callback, new AdminProblem(413, "too-large",
                                "a registration document is at most " + MAX_BODY + " bytes"));
                    } else {
                        attach(body, who.caller(), response, callback);
                    }
                }, request.getComponents().getExecutor());
                return true;
            }
            if (method.equals("POST") && path.equals("/drain")) {
                LOG.info("admin: " + who.caller() + " asked this node to drain");
                // The node stops once drained, this listener with it: the answer leaves first, then the drain begins
                // (a node with nothing in flight drains faster than a response is written).
                Callback thenDrain = Callback.from(() -> {
                    callback.succeeded();
                    drain.get();
                }, failure -> {
                    callback.failed(failure);
                    drain.get();
                });
                return send(response, thenDrain, 202, "application/json", "{\"node\":" + jsonString(node.nodeId())
                        + ",\"draining\":true}");
            }
            if (method.equals("PUT") && path.startsWith("/agents/") && path.endsWith("/lease")) {
                String name = path.substring("/agents/".length(), path.length() - "/lease".length());
                try {
                    long seconds = registry.renew(name).toSeconds();
                    return send(response, callback, 200, "application/json", "{\"agent\":" + jsonString(name)
                            + ",\"lease_seconds\":" + seconds + "}");
                } catch (AttachRefusedException e) {
                    return problem(response, callback, AdminProblem.of(e));
                }
            }
            if (method.equals("POST") && path.equals("/reload")) {
                // Reading the file and attaching agents (Agent Cards) block: off the thread that took the request.
                request.getComponents().getExecutor().execute(() -> reload(who.caller(), response, callback));
                return true;
            }
            if (method.equals("DELETE") && path.startsWith("/agents/")) {
                try {
                    AgentRegistration gone = agents.detachRegistered(path.substring("/agents/".length()), who.caller());
                    LOG.info("admin: " + who.caller() + " detached agent " + gone.agent());
                    return send(response, callback, 204, null, "");
                } catch (AttachRefusedException e) {
                    return problem(response, callback, AdminProblem.of(e));
                }
            }
            return problem(response, callback, new AdminProblem(404, "not-found", method + " " + path
                    + " is not an admin endpoint"));
        }

        /** Which registry, and whether this node may be serving less than it holds (etcd out of reach). */
        private String registryJson() {
            AgentRegistry.Status s = registry.status();
            return "{\"backend\":" + jsonString(s.backend()) + ",\"stale\":" + s.stale() + ",\"revision\":"
                    + s.revision() + (s.stale() ? ",\"stale_since\":" + jsonString(s.staleSince().toString())
                    + ",\"detail\":" + jsonString(s.detail()) : "") + "}";
        }

        private void reload(String caller, Response response, Callback callback) {
            try {
                List<String> changed = reload.reload();
                LOG.info("admin: " + caller + " reloaded the configuration: " + changed);
                send(response, callback, 200, "application/json", "{\"node\":" + jsonString(node.nodeId())
                        + ",\"reloaded\":" + jsonList(changed) + "}");
            } catch (ConfigException e) {
                LOG.warning("admin: reload asked by " + caller + " refused: " + e.getMessage());
                problem(response, callback, new AdminProblem(409, "reload-refused", e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warning("admin: reload asked by " + caller + " failed: " + e);
                problem(response, callback, new AdminProblem(500, "reload-failed", e.toString()));
            }
        }

        private void attach(ByteBuffer body, String caller, Response response, Callback callback) {
            byte[] bytes = new byte[body.remaining()];
            body.get(bytes);
            try {
                AgentRegistration r = RegistrationDocument.parse(bytes);
                agents.attachRegistered(r, scope.check(r), caller, Registration.of(r, bytes, caller, node.nodeId()));
                List<String> skills = r.skills().stream().map(s -> s.name().value()).toList();
                LOG.info("admin: " + caller + " attached agent " + r.agent() + " at " + r.origin() + " with " + skills);
                send(response, callback, 201, "application/json", "{\"agent\":" + jsonString(r.agent())
                        + ",\"skills\":" + jsonList(skills) + "}");
            } catch (RegistrationException e) {
                problem(response, callback, new AdminProblem(400, "invalid-registration", e.getMessage(),
                        Map.of("field", e.path())));
            } catch (AttachRefusedException e) {
                problem(response, callback, AdminProblem.of(e));
            }
        }
    }

    private static boolean problem(Response response, Callback callback, AdminProblem p) {
        if (p.status() == 401) response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, AdminGate.CHALLENGE);
        return send(response, callback, p.status(), AdminProblem.MEDIA_TYPE, p.json());
    }

    private static boolean send(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        if (type != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    private static String jsonList(List<String> items) {
        StringBuilder b = new StringBuilder("[");
        for (String s : items) {
            if (b.length() > 1) b.append(',');
            b.append(jsonString(s));
        }
        return b.append(']').toString();
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
