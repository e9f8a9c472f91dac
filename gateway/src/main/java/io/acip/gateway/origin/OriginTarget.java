package io.acip.gateway.origin;

import java.net.URI;
import java.net.URISyntaxException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/** The request target at the origin: its base path followed by the forwarded path and query, bytes unchanged. */
final class OriginTarget {
    private OriginTarget() {
    }

    /**
     * {@code /prefix} + {@code /a?b} = {@code /prefix/a?b}; a path that is not origin form still gets one slash. The
     * root of what is forwarded is the prefix itself: {@code /prefix} + {@code /?q} = {@code /prefix?q}, so a skill
     * mapped onto {@code /sse} gets {@code /sse?n=5} for the agent's {@code /?n=5}, not {@code /sse/?n=5}.
     */
    static String join(String basePath, String path) {
        String prefix = basePath == null ? "" : basePath;
        if (prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
        if (path == null || path.isEmpty()) return prefix.isEmpty() ? "/" : prefix;
        if (!prefix.isEmpty() && (path.equals("/") || path.startsWith("/?"))) return prefix + path.substring(1);
        return prefix + (path.startsWith("/") ? path : "/" + path);
    }

    static Request newRequest(HttpClient client, URI base, String path) {
        String target = join(base.getRawPath(), path);
        String root = base.getScheme() + "://" + base.getRawAuthority();
        try {
            // Parsed whole, the target keeps its exact bytes, "//" at its start included.
            return client.newRequest(new URI(root + target));
        } catch (URISyntaxException e) {
            // Bytes java.net.URI refuses (a stray '%', '|', '{'): the client then writes the target verbatim.
            return client.newRequest(URI.create(root)).path(target);
        }
    }
}
