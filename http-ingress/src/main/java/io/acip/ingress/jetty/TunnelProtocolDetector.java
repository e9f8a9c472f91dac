package io.acip.ingress.jetty;

import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;

/**
 * The first bytes of an intercepted tunnel decide what it carries (as mitmproxy does): a TLS record is intercepted
 * (the agent's TLS ends here with a minted leaf); an HTTP/1.1 request line is served as plaintext exchanges, since
 * Node's undici and {@code curl -p} tunnel {@code http://} URLs through CONNECT too; anything else is closed and
 * counted ({@code ingress.intercept.unknown_protocol}), as there is no protocol to answer it in.
 */
final class TunnelProtocolDetector extends DetectorConnectionFactory {
    private final IngressCounters counters;

    TunnelProtocolDetector(ConnectionFactory.Detecting tls, ConnectionFactory plainHttp, IngressCounters counters) {
        super(tls, new PlainHttp(plainHttp));
        this.counters = counters;
    }

    @Override
    protected void nextProtocol(Connector connector, EndPoint endPoint, ByteBuffer buffer) {
        counters.increment("ingress.intercept.unknown_protocol");
        endPoint.close();
    }

    /** An HTTP/1.1 request line starts with a method token (RFC 9112 §3) and a space. */
    static Detection detectRequestLine(ByteBuffer buffer) {
        int n = Math.min(buffer.remaining(), MAX_METHOD + 1);
        for (int i = 0; i < n; i++) {
            byte b = buffer.get(buffer.position() + i);
            if (b == ' ') return i > 0 ? Detection.RECOGNIZED : Detection.NOT_RECOGNIZED;
            if (!isTchar(b)) return Detection.NOT_RECOGNIZED;
        }
        return n > MAX_METHOD ? Detection.NOT_RECOGNIZED : Detection.NEED_MORE_BYTES;
    }

    /** Longer than any registered method; a request line is not made to wait for more. */
    private static final int MAX_METHOD = 24;

    private static boolean isTchar(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }

    /** The plaintext HTTP/1.1 factory, recognising its request line. */
    private static final class PlainHttp implements ConnectionFactory.Detecting {
        private final ConnectionFactory http;

        PlainHttp(ConnectionFactory http) {
            this.http = http;
        }

        @Override
        public Detection detect(ByteBuffer buffer) {
            return detectRequestLine(buffer);
        }

        @Override
        public String getProtocol() {
            return http.getProtocol();
        }

        @Override
        public List<String> getProtocols() {
            return http.getProtocols();
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            return http.newConnection(connector, endPoint);
        }
    }
}
