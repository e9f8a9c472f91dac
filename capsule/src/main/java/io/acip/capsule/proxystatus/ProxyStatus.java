package io.acip.capsule.proxystatus;

import io.acip.capsule.CodecException;
import io.acip.capsule.proxystatus.StructuredFields.ByteSequence;
import io.acip.capsule.proxystatus.StructuredFields.InnerList;
import io.acip.capsule.proxystatus.StructuredFields.Item;
import io.acip.capsule.proxystatus.StructuredFields.Token;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One member of a Proxy-Status field (RFC 9209 §2): the intermediary's name and the parameters describing how it
 * handled the response, such as {@code error}, {@code details}, {@code next-hop} or {@code received-status} (§2.1)
 * and the extra parameters of an error type such as {@code rcode} (§2.3.2).
 *
 * <p>Parameters keep their Structured Field types ({@link StructuredFields}), so a member read from a next hop,
 * unknown parameters included, writes back out equal. Every value this record holds is valid on the wire, so
 * {@link #toHeaderValue()} cannot produce an invalid field.
 *
 * <p>Free text (the {@code with...} methods taking text) is made fit for an sf-string, which holds printable ASCII
 * only (RFC 8941 §3.3.3): each other character is written as the percent-encoded bytes of its UTF-8 form in
 * lowercase hex, the convention of RFC 9651 Display Strings (so CR, LF and NUL can never reach the header), and the
 * result is cut to {@link #MAX_TEXT_LENGTH} characters so a long exception message cannot blow a peer's header limit.
 * {@code %} itself is left alone: the text is for people, not for decoding.
 */
public record ProxyStatus(String proxy, Map<String, Object> params) {
    /** The field name. */
    public static final String FIELD_NAME = "Proxy-Status";

    /** Longest text a {@code with...} method writes into a string parameter. */
    public static final int MAX_TEXT_LENGTH = 512;

    /** Checks the name is an sf-token or sf-string (RFC 9209 §2) and each parameter a valid key and bare item. */
    public ProxyStatus {
        Objects.requireNonNull(proxy, "proxy");
        if (!StructuredFields.isStringContent(proxy)) {
            throw new IllegalArgumentException("proxy name must be printable ASCII (an sf-token or sf-string)");
        }
        params = StructuredFields.copyParams(params);
    }

    /** A member naming this intermediary, without parameters yet. */
    public static ProxyStatus of(String proxy) {
        return new ProxyStatus(proxy, Map.of());
    }

    /** This member with {@code key} set to a bare item (Long, BigDecimal, String, Token, ByteSequence, Boolean). */
    public ProxyStatus with(String key, Object value) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put(key, value);
        return new ProxyStatus(proxy, p);
    }

    /** §2.1.1 {@code error}: an sf-token naming the Proxy Error Type. */
    public ProxyStatus withError(ProxyErrorType error) {
        return with("error", new Token(error.token()));
    }

    /** §2.1.5 {@code details}: free text, made fit for an sf-string as the class comment says. */
    public ProxyStatus withDetails(String details) {
        return with("details", printableText(details));
    }

    /** §2.1.2 {@code next-hop}: written as an sf-token when it is one (e.g. {@code host:8001}), else an sf-string. */
    public ProxyStatus withNextHop(String nextHop) {
        return with("next-hop", StructuredFields.isToken(nextHop) ? new Token(nextHop) : printableText(nextHop));
    }

    /** §2.1.3 {@code next-protocol}: the ALPN id as an sf-token when it can be one (MUST), else as sf-binary. */
    public ProxyStatus withNextProtocol(String alpnId) {
        return with("next-protocol", StructuredFields.isToken(alpnId)
                ? new Token(alpnId)
                : new ByteSequence(alpnId.getBytes(StandardCharsets.UTF_8)));
    }

    /** §2.1.4 {@code received-status}: the status the next hop answered with. */
    public ProxyStatus withReceivedStatus(int status) {
        return with("received-status", (long) status);
    }

    /** §2.3.2 {@code rcode} of {@code dns_error}: the DNS RCODE mnemonic as an sf-string, e.g. "NXDOMAIN". */
    public ProxyStatus withRcode(String rcode) {
        return with("rcode", printableText(rcode));
    }

    /** §2.3.2 {@code info-code} of {@code dns_error}: the RFC 8914 Extended DNS Error info-code, an sf-integer. */
    public ProxyStatus withInfoCode(int infoCode) {
        return with("info-code", (long) infoCode);
    }

    /** The parameter's value as parsed or set; empty when absent. */
    public Optional<Object> param(String key) {
        return Optional.ofNullable(params.get(key));
    }

    /**
     * The {@code error} token. Also accepts an sf-string: RFC 9209's own §2.1.5 example writes
     * {@code error="http_protocol_error"}, so a next hop may too.
     */
    public Optional<String> errorToken() {
        return text("error");
    }

    /** The registered error type, if {@code error} names one. */
    public Optional<ProxyErrorType> error() {
        return errorToken().flatMap(ProxyErrorType::fromToken);
    }

    public Optional<String> details() {
        return text("details");
    }

    public Optional<String> nextHop() {
        return text("next-hop");
    }

    public Optional<String> rcode() {
        return text("rcode");
    }

    /** {@code received-status}, when it is an integer that can be an HTTP status. */
    public OptionalInt receivedStatus() {
        OptionalLong v = integer("received-status");
        return v.isPresent() && v.getAsLong() >= 100 && v.getAsLong() <= 999
                ? OptionalInt.of((int) v.getAsLong())
                : OptionalInt.empty();
    }

    public OptionalLong infoCode() {
        return integer("info-code");
    }

    /** This member as it appears in the field, e.g. {@code acip-gw; error=dns_error; rcode="NXDOMAIN"}. */
    public String toHeaderValue() {
        StringBuilder out = new StringBuilder();
        StructuredFields.appendBareItem(out, StructuredFields.isToken(proxy) ? new Token(proxy) : proxy);
        StructuredFields.appendParams(out, params);
        return out.toString();
    }

    /**
     * The field value after appending this member to what the next hop sent: RFC 9209 §2 says intermediaries SHOULD
     * preserve existing members, and the last member is the one closest to the client. {@code existing} is kept as
     * received, so members this codec would not write identically still pass through unchanged.
     */
    public String appendTo(String existing) {
        if (existing == null || existing.isBlank()) return toHeaderValue();
        return existing.strip() + ", " + toHeaderValue();
    }

    /** A whole field value from members, first (closest to the origin) to last. */
    public static String toHeaderValue(List<ProxyStatus> members) {
        StringBuilder out = new StringBuilder();
        for (ProxyStatus m : members) {
            if (out.length() > 0) out.append(", ");
            out.append(m.toHeaderValue());
        }
        return out.toString();
    }

    /**
     * Reads a Proxy-Status field value (an RFC 8941 List). Members must be sf-tokens or sf-strings (RFC 9209 §2);
     * parameters of any type are kept, unknown ones included (the typed accessors skip values of the wrong type).
     *
     * @throws CodecException for anything that is not a valid List of such members
     */
    public static List<ProxyStatus> parse(String fieldValue) throws CodecException {
        List<ProxyStatus> members = new ArrayList<>();
        for (Object member : StructuredFields.parseList(fieldValue)) {
            if (member instanceof InnerList) {
                throw new CodecException("Proxy-Status member is an inner list, not an sf-token or sf-string");
            }
            Item item = (Item) member;
            String name;
            if (item.value() instanceof Token t) {
                name = t.value();
            } else if (item.value() instanceof String s) {
                name = s;
            } else {
                throw new CodecException("Proxy-Status member is not an sf-token or sf-string");
            }
            members.add(new ProxyStatus(name, item.params()));
        }
        return Collections.unmodifiableList(members);
    }

    private Optional<String> text(String key) {
        Object v = params.get(key);
        if (v instanceof Token t) return Optional.of(t.value());
        if (v instanceof String s) return Optional.of(s);
        return Optional.empty();
    }

    private OptionalLong integer(String key) {
        return params.get(key) instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
    }

    private static String printableText(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT_LENGTH));
        List<Integer> unitStarts = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            unitStarts.add(out.length());
            if (cp >= 0x20 && cp <= 0x7E) {
                out.append((char) cp);
            } else if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                out.append('?'); // a lone surrogate has no UTF-8 form
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.forDigit((b >> 4) & 0xF, 16))
                            .append(Character.forDigit(b & 0xF, 16));
                }
            }
            if (out.length() > MAX_TEXT_LENGTH) {
                // Drop whole units (never half an escape) until "..." fits.
                int u = unitStarts.size() - 1;
                while (unitStarts.get(u) > MAX_TEXT_LENGTH - 3) u--;
                out.setLength(unitStarts.get(u));
                return out.append("...").toString();
            }
        }
        return out.toString();
    }
}
