package io.acip.gateway;

import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.RegistrationDocument;
import io.acip.gateway.attach.RegistrationException;
import io.acip.node.Node;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The admin listener (bind it to loopback or a management network): {@code GET /metrics} (Prometheus text),
 * {@code GET /healthz}, {@code GET /routes}, {@code POST /agents} (attach an agent from a registration document,
 * body up to 1 MiB), {@code DELETE /agents/<name>}.
 */
final class AdminServer implements AutoCloseable {
    private static final int MAX_BODY = 1 << 20;
    private final Server server;
    private final ServerConnector connector;

    private AdminServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static AdminServer start(InetSocketAddress address, Node node, AgentAttachment agents, GatewayMetrics metrics)
            throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                String method = request.getMethod();
                if (method.equals("GET") && path.equals("/metrics")) {
                    return send(response, callback, 200, "text/plain; version=0.0.4", metrics.prometheus());
                }
                if (method.equals("GET") && path.equals("/healthz")) {
                    List<String> up = node.connectedNeighbours().get(5, TimeUnit.SECONDS);
                    return send(response, callback, 200, "application/json", "{\"node\":\"" + node.nodeId()
                            + "\",\"neighbours\":" + jsonList(up) + "}");
                }
                if (method.equals("GET") && path.equals("/routes")) {
                    StringBuilder b = new StringBuilder();
                    node.routes().snapshot().forEach((tenant, routes) -> routes.forEach(r -> b.append(tenant)
                            .append(' ').append(r.prefix()).append(" -> ").append(r.hops()).append('\n')));
                    return send(response, callback, 200, "text/plain", b.toString());
                }
                if (method.equals("POST") && path.equals("/agents")) {
                    Content.Source.asByteBufferAsync(request, MAX_BODY).whenComplete((body, failure) -> {
                        if (failure != null) {
                            send(response, callback, 413, "text/plain", "registration over " + MAX_BODY + " bytes\n");
                            return;
                        }
                        byte[] bytes = new byte[body.remaining()];
                        body.get(bytes);
                        try {
                            AgentRegistration r = RegistrationDocument.parse(bytes);
                            agents.attach(r, false);
                            send(response, callback, 201, "application/json", "{\"agent\":\"" + r.agent()
                                    + "\",\"skills\":" + jsonList(r.skills().stream().map(s -> s.name().value())
                                    .toList()) + "}");
                        } catch (RegistrationException e) {
                            send(response, callback, 400, "text/plain", e.getMessage() + "\n");
                        }
                    });
                    return true;
                }
                if (method.equals("DELETE") && path.startsWith("/agents/")) {
                    agents.detach(path.substring("/agents/".length()));
                    return send(response, callback, 204, null, "");
                }
                return send(response, callback, HttpStatus.NOT_FOUND_404, "text/plain", "not found\n");
            }
        });
        server.start();
        return new AdminServer(server, connector);
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
            b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append(']').toString();
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
