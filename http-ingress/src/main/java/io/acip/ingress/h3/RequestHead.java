package io.acip.ingress.h3;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.netty.handler.codec.http3.Http3Headers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An HTTP/3 request's header section, split into its pseudo-header fields and its regular fields (lowercase names,
 * wire order). Netty has already checked what RFC 9114 §4.3.1 and RFC 9220 §3 require of the pseudo-header fields
 * (present, not repeated, before the regular fields); what is left to decide is what the request asks for.
 *
 * @param authority {@code :authority}, or the Host field when it is absent; null for neither
 * @param protocol {@code :protocol} (RFC 9220 extended CONNECT), null when absent
 */
record RequestHead(String method, String scheme, String authority, String path, String protocol, Fields fields) {

    /**
     * Reads the section Netty decoded.
     *
     * @throws IllegalArgumentException for a field the contract's {@link Field} cannot hold (the caller answers 400)
     */
    static RequestHead of(Http3Headers headers) {
        List<Field> lines = new ArrayList<>(headers.size());
        String host = null;
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
            String name = e.getKey().toString();
            if (Http3Headers.PseudoHeaderName.hasPseudoHeaderFormat(name)) continue;
            String value = octets(e.getValue());
            if (host == null && name.equals("host")) host = value;
            lines.add(new Field(name, value));
        }
        String authority = string(headers.authority());
        return new RequestHead(string(headers.method()), string(headers.scheme()),
                authority != null ? authority : host, string(headers.path()), string(headers.protocol()),
                new Fields(lines));
    }

    boolean isConnect() {
        return "CONNECT".equals(method);
    }

    /** A value as one char per octet, as {@link Field} holds it; QPACK hands over octets, so nothing is decoded. */
    private static String octets(CharSequence value) {
        String v = value.toString();
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) > 0xFF) {
                return new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return v;
    }

    private static String string(CharSequence s) {
        return s == null ? null : s.toString();
    }
}
