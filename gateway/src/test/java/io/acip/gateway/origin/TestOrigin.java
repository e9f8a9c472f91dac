package io.acip.gateway.origin;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * An origin for what WireMock cannot do (content written on the test's schedule, trailers, resets): a Jetty server
 * speaking HTTP/1.1 and h2c with prior knowledge on one port, one handler per path.
 */
final class TestOrigin implements AutoCloseable {
    private final Server server = new Server();
    private final ServerConnector connector;
    private final Map<String, Request.Handler> routes = new ConcurrentHashMap<>();

    TestOrigin() throws Exception {
        HttpConfiguration config = new HttpConfiguration();
        connector = new ServerConnector(server, new HttpConnectionFactory(config),
                new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Request.Handler h = routes.get(request.getHttpURI().getPath());
                return h != null && h.handle(request, response, callback);
            }
        });
        server.start();
    }

    TestOrigin route(String path, Request.Handler handler) {
        routes.put(path, handler);
        return this;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    Server server() {
        return server;
    }

    @Override
    public void close() {
        LifeCycle.stop(server);
    }
}
