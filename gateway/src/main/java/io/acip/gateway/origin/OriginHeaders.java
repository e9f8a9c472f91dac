package io.acip.gateway.origin;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.http.HeaderHygiene;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.RequestInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/** Header sections on their way to the origin and back: hop-by-hop fields out (RFC 9110 §7.6.1), Via in (§7.6.3). */
final class OriginHeaders {
    /**
     * Also left out toward the origin: the client derives Host from the target and Content-Length from the content
     * it sends, and the ingress already answered any 100-continue, so the origin gets the content without asking.
     */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "expect");

    private OriginHeaders() {
    }

    /** The request fields to send to the origin; {@code forwarded} adds an RFC 7239 Forwarded element. */
    static void toOrigin(RequestInfo request, String proxyName, boolean forwarded, BiConsumer<String, String> add) {
        List<Field> extra = new ArrayList<>(2);
        extra.add(HeaderHygiene.via(request.protocol(), proxyName));
        if (forwarded) extra.add(forwarded(request));
        for (Field f : HeaderHygiene.forward(withoutPseudo(request.headers()), extra).lines()) {
            if (!SET_BY_CLIENT.contains(f.name())) add.accept(f.name(), f.value());
        }
    }

    /**
     * The authority the origin sees ({@code agents[].host_header}): its own, derived by the client from the target,
     * or the one the agent used; and, where configured, the agent's authority and scheme in {@code X-Forwarded-Host}
     * and {@code X-Forwarded-Proto}, replacing any the agent sent. {@code put} replaces a field of that name.
     */
    static void authority(RequestInfo request, OriginConfig origin, BiConsumer<String, String> put) {
        String asked = request.authority();
        if (asked == null || asked.isEmpty()) return;
        if (origin.hostHeader() == OriginConfig.HostHeader.PRESERVE) put.accept("Host", asked);
        if (origin.xForwarded()) {
            put.accept("X-Forwarded-Host", asked);
            put.accept("X-Forwarded-Proto", request.scheme() == null || request.scheme().isEmpty() ? "http"
                    : request.scheme());
        }
    }

    /**
     * The origin's response fields for the agent ({@link #received} first): hop-by-hop fields out, this hop's Via in.
     *
     * @param version the protocol the origin answered in, as {@code HTTP/1.1}
     */
    static Fields fromOrigin(Fields received, String version, String proxyName) {
        return HeaderHygiene.forward(received, List.of(HeaderHygiene.via(version, proxyName)));
    }

    /** Trailer fields as received ({@link #received} first); empty when none. They carry no connection options. */
    static Fields trailers(Fields received) {
        return received.isEmpty() ? Fields.EMPTY : HeaderHygiene.forward(received, List.of());
    }

    /** The size of a response head as HTTP/1.1 writes it: status line and {@code name: value CRLF} per field. */
    static int headSize(String reason, Fields received) {
        int size = "HTTP/1.1 200 \r\n\r\n".length() + (reason == null ? 0 : reason.length());
        for (Field f : received.lines()) size += f.name().length() + f.value().length() + 4;
        return size;
    }

    /** A section of fields as Jetty's client received it (null: none), names lowercased. */
    static Fields received(HttpFields fields, String what) throws OriginException {
        if (fields == null || fields.size() == 0) return Fields.EMPTY;
        List<Field> lines = new ArrayList<>(fields.size());
        for (HttpField f : fields) add(lines, f.getName(), f.getValue(), what);
        return new Fields(lines);
    }

    /** A section of fields as Netty's decoder received it, names lowercased. */
    static Fields received(io.netty.handler.codec.http.HttpHeaders fields, String what) throws OriginException {
        if (fields.isEmpty()) return Fields.EMPTY;
        List<Field> lines = new ArrayList<>(fields.size());
        for (Map.Entry<String, String> f : fields) add(lines, f.getKey(), f.getValue(), what);
        return new Fields(lines);
    }

    private static void add(List<Field> lines, String name, String value, String what) throws OriginException {
        try {
            lines.add(new Field(name.toLowerCase(Locale.ROOT), value == null ? "" : value));
        } catch (IllegalArgumentException e) {
            throw new OriginException(new HttpFailure(502, ProxyErrorType.HTTP_PROTOCOL_ERROR,
                    "origin sent an invalid " + what + " field"), e);
        }
    }

    private static Fields withoutPseudo(Fields fields) {
        if (!fields.hasPseudoFields()) return fields;
        return new Fields(fields.lines().stream().filter(f -> !f.isPseudo()).toList());
    }

    /** RFC 7239 §4: {@code for} the agent's address, {@code host} it asked for, {@code proto} it used. */
    static Field forwarded(RequestInfo request) {
        StringBuilder v = new StringBuilder();
        InetSocketAddress remote = request.remote();
        if (remote != null && remote.getAddress() != null) {
            String ip = remote.getAddress().getHostAddress();
            // §6.1: an IPv6 node is bracketed and therefore quoted.
            v.append("for=").append(ip.indexOf(':') >= 0 ? "\"[" + ip + "]\"" : ip).append(';');
        }
        if (request.authority() != null && !request.authority().isEmpty()) {
            v.append("host=").append(tokenOrQuoted(request.authority())).append(';');
        }
        v.append("proto=").append(request.scheme() == null || request.scheme().isEmpty() ? "http" : request.scheme());
        return new Field("forwarded", v.toString());
    }

    private static String tokenOrQuoted(String value) {
        boolean token = !value.isEmpty() && value.chars().allMatch(c ->
                c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0));
        return token ? value : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
