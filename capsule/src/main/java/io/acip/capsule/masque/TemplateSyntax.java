package io.acip.capsule.masque;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The RFC 6570 subset RFC 9298 §2 allows in the path and query of a CONNECT-UDP template, turned into the shape of
 * its expansion: literals and the two variables, each variable where its percent-encoded value will stand.
 *
 * <p>Allowed: simple expansion {@code {var}} and {@code {var,var}} (values joined by ","), form-style query
 * {@code {?var,...}} and continuation {@code {&var,...}} (RFC 6570 §3.2.8, §3.2.9), which expand to
 * {@code ?var=value&...} and {@code &var=value...}. Refused, each with its own message: the operators RFC 9298 §2
 * forbids ({@code + # . / ;}), those RFC 6570 §2.2 reserves ({@code = , ! @ |}), the level-4 modifiers (explode and
 * prefix; RFC 9298 §2 allows level 3 at most), variables other than {@code target_host} and {@code target_port}, a
 * variable used twice, a fragment, and braces that do not pair up.
 *
 * <p>Refused so that a request can be matched without guessing (RFC 6570 §1.4 defines expansion only): two variables
 * with nothing between them, and a variable followed by a character a value may itself contain unencoded
 * (unreserved or "%"), as in {@code {target_host}.{target_port}}; {@code {?...}} once the query has begun and
 * {@code {&...}} before it has.
 */
final class TemplateSyntax {
    static final String TARGET_HOST = "target_host";
    static final String TARGET_PORT = "target_port";

    /** A literal (variable null) or a variable (literal null). */
    record Part(String literal, String variable) {
        boolean isVariable() {
            return variable != null;
        }
    }

    private final String template;
    private final int offset;
    private final List<Part> parts = new ArrayList<>();
    private final StringBuilder literal = new StringBuilder();
    private final Set<String> seen = new HashSet<>();
    private boolean inQuery;

    private TemplateSyntax(String template, int offset) {
        this.template = template;
        this.offset = offset;
    }

    /**
     * Parses {@code template} from {@code offset} (the start of the path) to its end.
     *
     * @throws IllegalArgumentException naming the rule broken and where
     */
    static List<Part> parse(String template, int offset) {
        TemplateSyntax t = new TemplateSyntax(template, offset);
        t.run();
        return t.parts;
    }

    private void run() {
        int i = offset;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int close = template.indexOf('}', i + 1);
                int nextOpen = template.indexOf('{', i + 1);
                if (close < 0 || (nextOpen >= 0 && nextOpen < close)) throw fail("'{' without a matching '}'", i);
                expression(template.substring(i + 1, close), i);
                i = close + 1;
            } else if (c == '}') {
                throw fail("'}' without a matching '{'", i);
            } else if (c == '%') {
                if (i + 2 >= template.length()
                        || !PercentCoding.isHexDigit(template.charAt(i + 1))
                        || !PercentCoding.isHexDigit(template.charAt(i + 2))) {
                    throw fail("'%' not followed by two hex digits", i);
                }
                literal.append(template, i, i + 3);
                i += 3;
            } else if (c == '#') {
                throw fail("a fragment ('#') cannot be sent in a request's path", i);
            } else if ("\"'<>\\^`|".indexOf(c) >= 0) {
                throw fail("'" + c + "' is not allowed in a template literal (RFC 6570 §2.1)", i);
            } else {
                if (c == '?') inQuery = true;
                literal.append(c);
                i++;
            }
        }
        flushLiteral();
        for (String name : List.of(TARGET_HOST, TARGET_PORT)) {
            if (!seen.contains(name)) {
                throw new IllegalArgumentException(message(
                        "it must contain both target_host and target_port (RFC 9298 §2); " + name + " is missing"));
            }
        }
        checkUnambiguous();
    }

    private void expression(String body, int at) {
        if (body.isEmpty()) throw fail("empty expression '{}'", at);
        char op = body.charAt(0);
        if ("+#./;".indexOf(op) >= 0) {
            throw fail("operator '" + op + "' is not allowed (RFC 9298 §2 forbids reserved, fragment, label,"
                    + " path-segment and path-style expansion)", at);
        }
        if ("=,!@|".indexOf(op) >= 0) throw fail("operator '" + op + "' is reserved (RFC 6570 §2.2)", at);
        boolean form = op == '?' || op == '&';
        if (op == '?' && inQuery) throw fail("'{?' starts a query, but the template already has one", at);
        if (op == '&' && !inQuery) throw fail("'{&' continues a query, but the template has none before it", at);
        String[] names = (form ? body.substring(1) : body).split(",", -1);
        flushLiteral();
        for (int k = 0; k < names.length; k++) {
            String name = variable(names[k], at);
            if (form) {
                literal.append(k == 0 && op == '?' ? '?' : '&').append(name).append('=');
            } else if (k > 0) {
                literal.append(',');
            }
            flushLiteral();
            parts.add(new Part(null, name));
        }
        if (form) inQuery = true;
    }

    private String variable(String spec, int at) {
        if (spec.endsWith("*")) {
            throw fail("explode modifier '*' is level 4; RFC 9298 §2 allows level 3 at most", at);
        }
        if (spec.indexOf(':') >= 0) {
            throw fail("prefix modifier ':' is level 4; RFC 9298 §2 allows level 3 at most", at);
        }
        if (!isVarname(spec)) throw fail("invalid variable name '" + spec + "'", at);
        if (!spec.equals(TARGET_HOST) && !spec.equals(TARGET_PORT)) {
            throw fail("unknown variable '" + spec + "': CONNECT-UDP defines only target_host and target_port", at);
        }
        if (!seen.add(spec)) throw fail("variable '" + spec + "' appears twice", at);
        return spec;
    }

    // RFC 6570 §2.3: varname = varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" / pct-encoded.
    private static boolean isVarname(String s) {
        if (s.isEmpty() || s.charAt(0) == '.' || s.charAt(s.length() - 1) == '.') return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || !PercentCoding.isHexDigit(s.charAt(i + 1))
                        || !PercentCoding.isHexDigit(s.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c == '.') {
                if (s.charAt(i - 1) == '.') return false;
            } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private void checkUnambiguous() {
        for (int k = 0; k + 1 < parts.size(); k++) {
            Part p = parts.get(k);
            if (!p.isVariable()) continue;
            Part next = parts.get(k + 1);
            if (next.isVariable()) {
                throw new IllegalArgumentException(message("variables " + p.variable() + " and " + next.variable()
                        + " must be separated by a literal, or requests cannot be matched"));
            }
            char c = next.literal().charAt(0);
            if (PercentCoding.isUnreserved(c) || c == '%') {
                throw new IllegalArgumentException(message(p.variable() + " is followed by '" + c
                        + "', which its value may itself contain, so requests cannot be matched unambiguously"));
            }
        }
    }

    // Adjacent literals merge, so the shape alternates: no two literals in a row, never two variables (checked).
    private void flushLiteral() {
        if (literal.length() == 0) return;
        int last = parts.size() - 1;
        if (last >= 0 && !parts.get(last).isVariable()) {
            parts.set(last, new Part(parts.get(last).literal() + literal, null));
        } else {
            parts.add(new Part(literal.toString(), null));
        }
        literal.setLength(0);
    }

    private IllegalArgumentException fail(String reason, int index) {
        return new IllegalArgumentException(message(reason + " at index " + index));
    }

    private String message(String reason) {
        return "CONNECT-UDP URI template \"" + template + "\": " + reason;
    }
}
