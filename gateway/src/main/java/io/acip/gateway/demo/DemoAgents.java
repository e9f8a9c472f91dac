package io.acip.gateway.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.URI;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The demo agents on one Jetty server and one port, speaking HTTP/1.1 and h2c (prior knowledge) alike, routed by
 * exact path:
 *
 * <pre>
 *   /sse                          {@link SseAgent}
 *   /a2a                          {@link A2aAgent} (A2A 0.3 JSON-RPC)
 *   /mcp                          {@link McpAgent} (MCP Streamable HTTP)
 *   /a2a/.well-known/agent-card.json  the A2A 0.3 Agent Card of /a2a, at its own base (A2A §5.3), with skills
 *                                     echo and stream
 *   /.well-known/agent-card.json  the same card, at the origin's root (for {@code card: true} registrations)
 *   anything else                 {@link EchoAgent}
 * </pre>
 *
 * One origin rather than one port per agent: that is how a real agent looks to the gateway (one origin URL in its
 * registration, skills told apart by path prefix), and it keeps examples to one address. Echo takes everything
 * unmatched so that any path a test or a skill mapping invents gets an answer that shows what arrived.
 */
public final class DemoAgents implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final McpAgent mcp = new McpAgent();

    private DemoAgents(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** MCP sessions the /mcp agent holds open now (tests tell instances apart by it). */
    public int mcpSessions() {
        return mcp.openSessions();
    }

    /** MCP sessions the /mcp agent opened since it started. */
    public int mcpSessionsOpened() {
        return mcp.openedSessions();
    }

    /** Starts the agents on {@code address} (port 0 picks a free one). */
    public static DemoAgents start(InetSocketAddress address) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http),
                new HTTP2CServerConnectionFactory(http));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        DemoAgents agents = new DemoAgents(server, connector);
        PathMappingsHandler routes = new PathMappingsHandler();
        routes.addMapping(PathSpec.from("/sse"), new SseAgent());
        routes.addMapping(PathSpec.from("/a2a"), new A2aAgent());
        routes.addMapping(PathSpec.from("/mcp"), agents.mcp);
        CardHandler card = new CardHandler(agents);
        routes.addMapping(PathSpec.from("/a2a/.well-known/agent-card.json"), card);
        routes.addMapping(PathSpec.from("/.well-known/agent-card.json"), card);
        routes.addMapping(PathSpec.from("/"), new EchoAgent());
        server.setHandler(routes);
        server.start();
        return agents;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port} of the running agents. */
    public URI uri() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port());
    }

    /** The server, for tests that look at its threads. */
    Server server() {
        return server;
    }

    @Override
    public void close() {
        LifeCycle.stop(server);
    }

    /** The A2A 0.3 card of the /a2a agent; its url is this server's address, known only once started. */
    private static final class CardHandler extends Handler.Abstract.NonBlocking {
        private final DemoAgents agents;

        CardHandler(DemoAgents agents) {
            this.agents = agents;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            ObjectNode card = JsonRpc.JSON.createObjectNode()
                    .put("protocolVersion", "0.3.0")
                    .put("name", "ACIP demo agent")
                    .put("description", "Echoes messages back, at once or as a streamed task")
                    .put("url", agents.uri() + "/a2a")
                    .put("preferredTransport", "JSONRPC")
                    .put("version", "0.1.0");
            // The same endpoint again as 0.3's list of interfaces: clients that choose a transport read this.
            card.putArray("additionalInterfaces").addObject().put("url", agents.uri() + "/a2a")
                    .put("transport", "JSONRPC");
            card.putObject("capabilities").put("streaming", true).put("pushNotifications", false);
            card.putArray("defaultInputModes").add("text/plain");
            card.putArray("defaultOutputModes").add("text/plain");
            var skills = card.putArray("skills");
            skills.addObject().put("id", "echo").put("name", "Echo")
                    .put("description", "message/send: the message comes back").putArray("tags").add("demo");
            skills.addObject().put("id", "stream").put("name", "Streamed echo")
                    .put("description", "message/stream: task status events, then the message")
                    .putArray("tags").add("demo").add("sse");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
            JsonRpc.writeJson(response, 200, card, callback);
            return true;
        }
    }
}
