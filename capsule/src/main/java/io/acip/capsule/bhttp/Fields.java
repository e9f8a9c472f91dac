package io.acip.capsule.bhttp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A header or trailer section (RFC 9292 §3.6): field lines in wire order, repeated names kept as separate lines.
 * Pseudo-fields, if any, come first, and none of them is one control data already carries.
 */
public record Fields(List<Field> lines) {
    public static final Fields EMPTY = new Fields(List.of());

    public Fields {
        lines = List.copyOf(lines);
        boolean regularSeen = false;
        for (Field line : lines) {
            if (!line.isPseudo()) {
                regularSeen = true;
            } else if (FieldSyntax.isReservedPseudoField(line.name())) {
                throw new IllegalArgumentException(line.name() + " belongs in control data (RFC 9292 §3.6)");
            } else if (regularSeen) {
                throw new IllegalArgumentException(line.name() + " follows a regular field (RFC 9292 §3.6)");
            }
        }
    }

    /** Fields from alternating names and values: {@code of("host", "example.com", "accept-language", "en")}. */
    public static Fields of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must pair up");
        }
        List<Field> lines = new ArrayList<>(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            lines.add(new Field(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new Fields(lines);
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The value of the first line whose name matches, ignoring case as field names do (RFC 9110 §5.1). */
    public Optional<String> first(String name) {
        for (Field line : lines) {
            if (line.name().equalsIgnoreCase(name)) return Optional.of(line.value());
        }
        return Optional.empty();
    }

    /** Whether any line is a pseudo-field, which trailers may not carry (RFC 9113 §8.1). */
    public boolean hasPseudoFields() {
        return !lines.isEmpty() && lines.get(0).isPseudo();
    }
}
