package io.acip.gateway.http;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A request target with its dot segments removed (RFC 3986 §5.2.4), so that what a skill's prefix confines cannot be
 * left by {@code ..}: at the edge before mapping, and again at the far node under the skill's path at its origin.
 * {@code %2e} counts as a dot, and a segment's {@code ;parameters} do not hide one ({@code ..;x} is {@code ..}), as
 * servers behind may read them so. A path that climbs above its root is refused rather than clamped: no client
 * sends one except to probe.
 */
public final class RequestPath {
    /** What to do with {@code %2F} and {@code %5C} in a path (Envoy's {@code path_with_escaped_slashes_action}). */
    public enum EscapedSlashes {
        /** Refuse the request with 400: origins disagree on whether they separate segments. */
        REJECT,
        /** Pass them on unchanged (an API that carries names with slashes in one segment). */
        KEEP;

        /** From configuration: {@code reject} or {@code keep}. */
        public static EscapedSlashes parse(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /** The outcome: the target to forward, or the refusal to answer with. */
    public sealed interface Result permits Normalized, Rejected {
    }

    /** @param target path (dot segments removed) and query (unchanged) */
    public record Normalized(String target) implements Result {
    }

    public record Rejected(HttpFailure failure) implements Result {
    }

    private static final Pattern ESCAPED_SLASH = Pattern.compile("%(2[fF]|5[cC])");
    private static final Pattern ANY_SEPARATOR = Pattern.compile("/|\\\\|%2[fF]|%5[cC]");

    private RequestPath() {
    }

    /** The edge's reading of a target: dot segments removed, encoded slashes refused unless {@code KEEP}. */
    public static Result normalize(String target, EscapedSlashes escapedSlashes) {
        if (!target.startsWith("/")) return new Normalized(target); // asterisk-form, or nothing to confine
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        if (escapedSlashes == EscapedSlashes.REJECT && path.indexOf('%') >= 0 && ESCAPED_SLASH.matcher(path).find()) {
            return rejected("the path has an encoded slash or backslash (%2F, %5C), which origins read differently");
        }
        String clean = removeDotSegments(path, false);
        if (clean == null) return rejected("the path climbs above its root with dot segments");
        return new Normalized(q < 0 ? clean : clean + target.substring(q));
    }

    /**
     * The far node's reading of a target it appends to a skill's path: refused when any reading of it climbs out, a
     * backslash or an encoded slash taken as a separator included (some origins decode them before resolving dot
     * segments); else its dot segments removed.
     */
    public static Result confined(String target) {
        if (!target.startsWith("/")) return new Normalized(target);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        if (removeDotSegments(path, true) == null) {
            return rejected("the path leaves the skill's path prefix at the origin");
        }
        // Fewer separators than the reading above: fewer dot segments, so this one cannot climb either.
        String clean = removeDotSegments(path, false);
        return new Normalized(q < 0 ? clean : clean + target.substring(q));
    }

    /** RFC 3986 §5.2.4 on an absolute path; null when it climbs above the root; {@code path} itself when unchanged. */
    private static String removeDotSegments(String path, boolean everySeparator) {
        // Every dot segment has a '.', or a '%' of "%2e": most paths have neither, and nothing to remove.
        if (path.indexOf('.') < 0 && path.indexOf('%') < 0) return path;
        // With '/' the only separator, a dot segment starts with "/." or "/%" ("/1k.bin" has none).
        if (!everySeparator && !path.contains("/.") && !path.contains("/%")) return path;
        String[] segments = everySeparator ? ANY_SEPARATOR.split(path, -1) : path.split("/", -1);
        List<String> out = new ArrayList<>(segments.length);
        boolean changed = false;
        for (int i = 1; i < segments.length; i++) { // segments[0] is what precedes the leading slash: nothing
            String dots = dotSegment(segments[i]);
            if (dots == null) {
                out.add(segments[i]);
                continue;
            }
            changed = true;
            if (dots.equals("..")) {
                if (out.isEmpty()) return null;
                out.remove(out.size() - 1);
            }
            if (i == segments.length - 1) out.add(""); // "/a/b/.." is "/a/": the trailing slash stays
        }
        return changed ? "/" + String.join("/", out) : path;
    }

    /** "." or ".." when {@code segment} is one (percent-encoded dots and parameters included), else null. */
    private static String dotSegment(String segment) {
        int semicolon = segment.indexOf(';');
        String s = semicolon < 0 ? segment : segment.substring(0, semicolon);
        if (s.isEmpty() || s.length() > 6) return null;
        s = s.replace("%2e", ".").replace("%2E", ".");
        return s.equals(".") || s.equals("..") ? s : null;
    }

    private static Rejected rejected(String detail) {
        return new Rejected(new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR, detail));
    }
}
