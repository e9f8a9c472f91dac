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
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;

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
    static void toOrigin(RequestInfo request, String proxyName, boolean forwarded, HttpFields.Mutable out) {
        List<Field> extra = new ArrayList<>(2);
        extra.add(HeaderHygiene.via(request.protocol(), proxyName));
        if (forwarded) extra.add(forwarded(request));
        for (Field f : HeaderHygiene.forward(withoutPseudo(request.headers()), extra).lines()) {
            if (!SET_BY_CLIENT.contains(f.name())) out.add(f.name(), f.value());
        }
    }

    /**
     * The authority the origin sees ({@code agents[].host_header}): its own, derived by the client from the target,
     * or the one the agent used; and, where configured, the agent's authority and scheme in {@code X-Forwarded-Host}
     * and {@code X-Forwarded-Proto}, replacing any the agent sent.
     */
    static void authority(RequestInfo request, OriginConfig origin, HttpFields.Mutable out) {
        String asked = request.authority();
        if (asked == null || asked.isEmpty()) return;
        if (origin.hostHeader() == OriginConfig.HostHeader.PRESERVE) out.put(HttpHeader.HOST, asked);
        if (origin.xForwarded()) {
            out.put("X-Forwarded-Host", asked);
            out.put("X-Forwarded-Proto", request.scheme() == null || request.scheme().isEmpty() ? "http"
                    : request.scheme());
        }
    }

    /** The origin's response fields for the agent, names lowercased. */
    static Fields fromOrigin(HttpFields fields, HttpVersion version, String proxyName) throws OriginException {
        List<Field> extra = List.of(HeaderHygiene.via(version == null ? "HTTP/1.1" : version.asString(), proxyName));
        return HeaderHygiene.forward(convert(fields, "header"), extra);
    }

    /** Trailer fields as received; empty when none. Trailers carry no connection options, only content metadata. */
    static Fields trailers(HttpFields fields) throws OriginException {
        return fields == null || fields.size() == 0 ? Fields.EMPTY : HeaderHygiene.forward(convert(fields, "trailer"),
                List.of());
    }

    private static Fields convert(HttpFields fields, String what) throws OriginException {
        List<Field> lines = new ArrayList<>(fields.size());
        for (HttpField f : fields) {
            try {
                lines.add(new Field(f.getName().toLowerCase(Locale.ROOT), f.getValue() == null ? "" : f.getValue()));
            } catch (IllegalArgumentException e) {
                throw new OriginException(new HttpFailure(502, ProxyErrorType.HTTP_PROTOCOL_ERROR,
                        "origin sent an invalid " + what + " field"), e);
            }
        }
        return new Fields(lines);
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
