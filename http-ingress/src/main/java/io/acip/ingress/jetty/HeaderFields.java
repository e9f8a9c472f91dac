package io.acip.ingress.jetty;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/** Converts between Jetty's field sections and the contract's {@link Fields} (lowercase names, one byte per char). */
final class HeaderFields {
    /**
     * Fields a listener owns on the agent's connection (RFC 9110 §7.6.1, RFC 9113 §8.2.2): never copied from a
     * handler's response head, since Jetty frames the message itself and HTTP/2 forbids them.
     */
    private static final Set<String> CONNECTION_SPECIFIC = Set.of(
            "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te");

    private HeaderFields() {
    }

    /** The fields as received, names lowercased, order kept. */
    static Fields fromJetty(HttpFields jetty) {
        List<Field> lines = new ArrayList<>(jetty.size());
        for (HttpField f : jetty) {
            lines.add(new Field(f.getName().toLowerCase(Locale.ROOT), octets(f.getValue())));
        }
        return new Fields(lines);
    }

    /** Copies a response head's or trailer section's fields, leaving out pseudo and connection-specific ones. */
    static void copyTo(Fields fields, HttpFields.Mutable jetty) {
        for (Field f : fields.lines()) {
            if (f.isPseudo() || isConnectionSpecific(f.name())) continue;
            jetty.add(f.name(), f.value());
        }
    }

    static HttpFields toJetty(Fields fields) {
        HttpFields.Mutable out = HttpFields.build(fields.lines().size());
        copyTo(fields, out);
        return out.asImmutable();
    }

    static boolean isConnectionSpecific(String name) {
        return CONNECTION_SPECIFIC.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * A value as one char per octet: Jetty may hand over obs-text decoded as UTF-8, which {@link Field} cannot hold,
     * so such a value goes back to its UTF-8 octets. Surrounding whitespace is not part of a value (RFC 9110 §5.5).
     */
    private static String octets(String value) {
        if (value == null) return "";
        String v = value.strip();
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) > 0xFF) {
                return new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return v;
    }
}
