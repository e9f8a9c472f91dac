package io.acip.capsule.masque;

import io.acip.capsule.CodecException;
import io.acip.capsule.masque.TemplateSyntax.Part;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A CONNECT-UDP URI template (RFC 9298 §2), validated when configured: clients {@link #expand} it for a target, the
 * proxy {@link #match}es request paths against it.
 *
 * <p>{@link #parse} refuses, with a message naming the rule, what RFC 9298 §2 forbids: a template that is not an
 * absolute http(s) URI with an authority and a path starting with "/", characters outside 0x21-0x7E, variables in
 * the authority, a missing {@code target_host} or {@code target_port}, the forbidden operators and level-4
 * modifiers. Where matching needs it, it is stricter (see {@link TemplateSyntax}): variables other than the two, and
 * templates a request could not be matched against without guessing, are refused too.
 *
 * <p>Matching: path literals must match exactly, else the answer is 404 (the request names another resource, so a
 * caller serving several templates tries the next). A query is treated as parameters: each one the template names
 * must appear exactly once, in any order, and parameters it does not name are ignored, as a proxy behind a load
 * balancer or a client library that appends its own parameters needs; repeating a named one is refused so that no
 * two readers of the request can disagree on the target. (A query whose parameter names are not literal is
 * matched exactly instead.) Values are percent-decoded once and checked per RFC 9298 §3; every refusal of the
 * request's content is 400 with Proxy-Status {@code http_request_error} and details.
 */
public final class ConnectUdpTemplate {
    /** RFC 9298 §2's default template, after the authority; RFC 9298 §8.2 registers the well-known URI. */
    public static final String DEFAULT_PATH = "/.well-known/masque/udp/{target_host}/{target_port}/";

    private final String text;
    private final String scheme;
    private final String authority;
    private final List<Part> shape;
    private final List<Part> pathParts = new ArrayList<>();
    private final List<Part> queryParts; // null: the template has no query
    private final List<List<Part>> queryParams; // null: the query is matched as one sequence

    private ConnectUdpTemplate(String text, String scheme, String authority, List<Part> shape) {
        this.text = text;
        this.scheme = scheme;
        this.authority = authority;
        this.shape = List.copyOf(shape);
        List<Part> query = null;
        for (Part p : shape) {
            int q = query == null && !p.isVariable() ? p.literal().indexOf('?') : -1;
            if (q >= 0) {
                query = new ArrayList<>();
                if (q > 0) pathParts.add(new Part(p.literal().substring(0, q), null));
                if (q + 1 < p.literal().length()) query.add(new Part(p.literal().substring(q + 1), null));
            } else {
                (query == null ? pathParts : query).add(p);
            }
        }
        this.queryParts = query;
        this.queryParams = query == null ? null : asParameters(query);
    }

    /**
     * Validates a configured template.
     *
     * @throws IllegalArgumentException naming the rule the template breaks
     */
    public static ConnectUdpTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw invalid(template, "it contains " + PercentCoding.describe(c) + " at index " + i
                        + "; RFC 9298 §2 allows ASCII 0x21-0x7E only");
            }
        }
        int sep = template.indexOf("://");
        if (sep <= 0) throw invalid(template, "it is not an absolute URI (scheme://authority/path, RFC 9298 §2)");
        String scheme = template.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw invalid(template, "the scheme must be https or http, not '" + template.substring(0, sep) + "'");
        }
        int start = sep + 3;
        int end = start;
        while (end < template.length() && "/?#".indexOf(template.charAt(end)) < 0) end++;
        String authority = template.substring(start, end);
        if (authority.indexOf('{') >= 0 || authority.indexOf('}') >= 0) {
            throw invalid(template, "variables must be in the path or query, not the authority (RFC 9298 §2)");
        }
        checkAuthority(template, authority);
        if (end == template.length() || template.charAt(end) != '/') {
            throw invalid(template, "the path must be present and start with '/' (RFC 9298 §2)");
        }
        return new ConnectUdpTemplate(template, scheme, authority, TemplateSyntax.parse(template, end));
    }

    /** RFC 9298 §2's default template for a proxy at {@code authority} ({@code host} or {@code host:port}). */
    public static ConnectUdpTemplate defaultFor(String authority) {
        Objects.requireNonNull(authority, "authority");
        for (char c : "/?#{}".toCharArray()) {
            if (authority.indexOf(c) >= 0) {
                throw new IllegalArgumentException("proxy authority \"" + authority + "\" contains '" + c + "'");
            }
        }
        return parse("https://" + authority + DEFAULT_PATH);
    }

    /** "https" or "http", lowercase. */
    public String scheme() {
        return scheme;
    }

    /** The proxy's authority as written in the template; the caller checks :authority / Host against it. */
    public String authority() {
        return authority;
    }

    /**
     * The request a client sends for {@code host} and {@code port}: values percent-encoded as RFC 6570 simple
     * expansion does, so an IPv6 address appears as {@code 2001%3Adb8%3A%3A1} (RFC 9298 §3), with no brackets.
     *
     * @throws IllegalArgumentException when the host or port is not one RFC 9298 §3 allows
     */
    public ConnectUdpUri expand(String host, int port) {
        return expand(ConnectUdpTarget.of(host, port));
    }

    /** The request a client sends for {@code target}. */
    public ConnectUdpUri expand(ConnectUdpTarget target) {
        StringBuilder path = new StringBuilder();
        for (Part p : shape) {
            if (!p.isVariable()) {
                path.append(p.literal());
            } else if (p.variable().equals(TemplateSyntax.TARGET_HOST)) {
                path.append(PercentCoding.encode(target.host()));
            } else {
                path.append(target.port());
            }
        }
        return new ConnectUdpUri(scheme, authority, path.toString());
    }

    /**
     * Matches a request's {@code :path} (path and optional query; the caller has checked the authority). Never
     * throws for any input: the outcome is the target or the rejection to answer with.
     */
    public ConnectUdpMatch match(String pathAndQuery) {
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        if (pathAndQuery.isEmpty() || pathAndQuery.charAt(0) != '/') {
            return ConnectUdpRejection.badRequest("request path does not start with '/'");
        }
        if (pathAndQuery.indexOf('#') >= 0) {
            return ConnectUdpRejection.badRequest("request path carries a fragment");
        }
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        String[] raw = new String[2];
        if (!matchSequence(pathParts, path, raw)) {
            return ConnectUdpRejection.notFound("request path does not match the URI template");
        }
        if (queryParams != null) {
            ConnectUdpRejection r = matchParameters(query, raw);
            if (r != null) return r;
        } else if (queryParts != null && !matchSequence(queryParts, query, raw)) {
            return ConnectUdpRejection.badRequest("request query does not match the URI template");
        }
        return target(raw[0], raw[1]);
    }

    private ConnectUdpRejection matchParameters(String query, String[] raw) {
        List<String> given = new ArrayList<>();
        for (String p : query.split("&", -1)) {
            if (!p.isEmpty()) given.add(p);
        }
        for (List<Part> param : queryParams) {
            String name = parameterName(param);
            String found = null;
            for (String p : given) {
                if (!parameterName(p).equals(name)) continue;
                if (found != null) return ConnectUdpRejection.badRequest("query parameter '" + name + "' is repeated");
                found = p;
            }
            if (found == null) return ConnectUdpRejection.badRequest("query parameter '" + name + "' is missing");
            if (!matchSequence(param, found, raw)) {
                return ConnectUdpRejection.badRequest("query parameter '" + name + "' does not match the URI template");
            }
        }
        return null;
    }

    private static ConnectUdpMatch target(String rawHost, String rawPort) {
        try {
            TargetHost host = TargetHost.parse(PercentCoding.decodeOnce(rawHost, TemplateSyntax.TARGET_HOST));
            int port = parsePort(PercentCoding.decodeOnce(rawPort, TemplateSyntax.TARGET_PORT));
            return new ConnectUdpTarget(host.canonical(), host.kind(), port);
        } catch (CodecException e) {
            return ConnectUdpRejection.badRequest(e.getMessage());
        }
    }

    // RFC 9298 §3: target_port = port (RFC 3986: *DIGIT), not empty, 1..65535. No sign, no space.
    private static int parsePort(String port) throws CodecException {
        if (port.isEmpty()) throw new CodecException("target_port is empty (RFC 9298 Section 3)");
        int value = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') throw new CodecException("target_port must be decimal digits only");
            value = value * 10 + (c - '0');
            if (value > 65535) throw new CodecException("target_port is out of range 1..65535 (RFC 9298 Section 3)");
        }
        if (value == 0) throw new CodecException("target_port is out of range 1..65535 (RFC 9298 Section 3)");
        return value;
    }

    /**
     * Literals must appear exactly; a variable's raw value runs to the next literal, which the template has made
     * sure can never be part of the value, or to the end. Linear, no backtracking.
     */
    private static boolean matchSequence(List<Part> parts, String input, String[] raw) {
        int pos = 0;
        for (int k = 0; k < parts.size(); k++) {
            Part p = parts.get(k);
            if (!p.isVariable()) {
                if (!input.startsWith(p.literal(), pos)) return false;
                pos += p.literal().length();
                continue;
            }
            int end = k + 1 < parts.size() ? input.indexOf(parts.get(k + 1).literal(), pos) : input.length();
            if (end < 0) return false;
            raw[p.variable().equals(TemplateSyntax.TARGET_HOST) ? 0 : 1] = input.substring(pos, end);
            pos = end;
        }
        return pos == input.length();
    }

    /**
     * The query split at "&" into parameters, when each starts with a literal name (text before "=") and no name
     * repeats; null when it cannot be read that way, and is then matched as one sequence.
     */
    private static List<List<Part>> asParameters(List<Part> query) {
        List<List<Part>> params = new ArrayList<>();
        List<Part> current = new ArrayList<>();
        for (Part p : query) {
            if (p.isVariable()) {
                current.add(p);
                continue;
            }
            String[] pieces = p.literal().split("&", -1);
            for (int i = 0; i < pieces.length; i++) {
                if (i > 0) {
                    params.add(current);
                    current = new ArrayList<>();
                }
                if (!pieces[i].isEmpty()) current.add(new Part(pieces[i], null));
            }
        }
        params.add(current);
        params.removeIf(List::isEmpty);
        Set<String> names = new HashSet<>();
        for (List<Part> param : params) {
            Part first = param.get(0);
            if (first.isVariable()) return null;
            boolean hasVariable = param.size() > 1;
            String name = parameterName(first.literal());
            if (name.isEmpty() || (hasVariable && name.length() == first.literal().length())) return null;
            if (!names.add(name)) return null;
        }
        return List.copyOf(params);
    }

    private static String parameterName(List<Part> param) {
        return parameterName(param.get(0).literal());
    }

    private static String parameterName(String param) {
        int eq = param.indexOf('=');
        return eq < 0 ? param : param.substring(0, eq);
    }

    // RFC 3986 §3.2: host [":" port]; no userinfo (RFC 9110 §4.2.4 forbids it in http(s) URIs).
    private static void checkAuthority(String template, String authority) {
        if (authority.isEmpty()) throw invalid(template, "the authority is empty (RFC 9298 §2)");
        if (authority.indexOf('@') >= 0) throw invalid(template, "userinfo ('@') is not allowed in the authority");
        String host;
        String port = null;
        if (authority.charAt(0) == '[') {
            int close = authority.indexOf(']');
            if (close < 0 || TargetHost.parseIpv6(authority.substring(1, close)) == null) {
                throw invalid(template, "the authority's IPv6 literal is not valid");
            }
            host = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    throw invalid(template, "unexpected text after the authority's IPv6 literal");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (!PercentCoding.isUnreserved(c) && "%!$&'()*+,;=".indexOf(c) < 0) {
                    throw invalid(template, "the authority's host contains " + PercentCoding.describe(c));
                }
            }
        }
        if (host.isEmpty()) throw invalid(template, "the authority has no host");
        if (port != null && !isPort(port)) throw invalid(template, "the authority's port must be 1..65535");
    }

    private static boolean isPort(String port) {
        if (port.isEmpty() || port.length() > 5) return false;
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') return false;
        }
        int v = Integer.parseInt(port);
        return v >= 1 && v <= 65535;
    }

    private static IllegalArgumentException invalid(String template, String reason) {
        return new IllegalArgumentException("CONNECT-UDP URI template \"" + template + "\": " + reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectUdpTemplate t && t.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The template as configured. */
    @Override
    public String toString() {
        return text;
    }
}
