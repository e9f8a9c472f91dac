package io.acip.capsule.bhttp;

import java.util.Objects;

/**
 * One field line (RFC 9292 §3.6): a name, kept in the case given, and a value. Names starting with a colon are
 * pseudo-fields. Both are strings of bytes, one char per byte (ISO-8859-1).
 */
public record Field(String name, String value) {
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!FieldSyntax.isFieldName(name)) {
            throw new IllegalArgumentException("field name is not a token (RFC 9110 §5.1): " + name);
        }
        if (!FieldSyntax.isFieldValue(value)) {
            throw new IllegalArgumentException("invalid value for field " + name + " (RFC 9113 §8.2.1)");
        }
    }

    /** Whether this is a pseudo-field, allowed only at the start of a header section (RFC 9292 §3.6). */
    public boolean isPseudo() {
        return name.charAt(0) == ':';
    }
}
