package io.acip.wire;

import java.util.Arrays;
import java.util.List;

/**
 * A skill address: {@code /}-separated segments, most significant first ({@code bank-a/payments/authorize}). Segments
 * are 1..63 of {@code a-z 0-9 - _}; lowercase is the only form so that names map one-to-one onto DNS labels
 * ({@code authorize.payments.bank-a.acip}). At most 16 segments and {@link Limits#MAX_NAME} bytes.
 */
public record SkillName(String value) {
    public static final int MAX_SEGMENTS = 16;

    public SkillName {
        String problem = problem(value);
        if (problem != null) throw new IllegalArgumentException("invalid skill name '" + value + "': " + problem);
    }

    /** Parses a name from the wire, where a bad one is the peer's fault. */
    public static SkillName parse(String value) throws MalformedPacketException {
        String problem = problem(value);
        if (problem != null) throw new MalformedPacketException("invalid skill name: " + problem);
        return new SkillName(value);
    }

    public static boolean isValid(String value) {
        return problem(value) == null;
    }

    private static String problem(String v) {
        if (v == null || v.isEmpty()) return "empty";
        if (v.length() > Limits.MAX_NAME) return "longer than " + Limits.MAX_NAME;
        int segments = 1;
        int segmentLength = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '/') {
                if (segmentLength == 0) return "empty segment";
                segments++;
                segmentLength = 0;
            } else if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
                if (++segmentLength > 63) return "segment longer than 63";
            } else {
                return "character '" + c + "' not allowed (a-z 0-9 - _ and / between segments)";
            }
        }
        if (segmentLength == 0) return "empty segment";
        if (segments > MAX_SEGMENTS) return "more than " + MAX_SEGMENTS + " segments";
        return null;
    }

    public List<String> segments() {
        return Arrays.asList(value.split("/"));
    }

    /** Whether {@code prefix} is this name or a whole-segment prefix of it ({@code a/b} covers {@code a/b/c}). */
    public boolean isUnder(SkillName prefix) {
        String p = prefix.value;
        return value.equals(p) || value.startsWith(p) && value.charAt(p.length()) == '/';
    }

    @Override
    public String toString() {
        return value;
    }
}
