package io.acip.gateway.http;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a proxy removes and adds on every message it forwards: the hop-by-hop fields of RFC 9110 §7.6.1 (the fixed
 * set plus every field {@code Connection} names) go; {@code Via} gains this hop (§7.6.3).
 */
public final class HeaderHygiene {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate", "http2-settings");

    private HeaderHygiene() {
    }

    /**
     * {@code fields} without hop-by-hop fields, with {@code extra} appended. {@code TE: trailers} survives as the one
     * TE value a proxy may pass on, so trailers keep flowing end to end.
     */
    public static Fields forward(Fields fields, List<Field> extra) {
        Set<String> named = Set.of(); // what a Connection field names: most messages have none
        for (Field f : fields.lines()) {
            if (f.name().equalsIgnoreCase("connection")) {
                if (named.isEmpty()) named = new HashSet<>();
                for (String token : f.value().split(",")) named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        List<Field> out = new ArrayList<>(fields.lines().size() + extra.size());
        boolean trailersAccepted = false;
        for (Field f : fields.lines()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            if (name.equals("te")) {
                trailersAccepted |= f.value().toLowerCase(Locale.ROOT).contains("trailers");
                continue;
            }
            if (HOP_BY_HOP.contains(name) || named.contains(name)) continue;
            out.add(name.equals(f.name()) ? f : new Field(name, f.value()));
        }
        if (trailersAccepted) out.add(new Field("te", "trailers"));
        out.addAll(extra);
        return new Fields(out);
    }

    /**
     * The {@code Via} value for this hop: {@code 1.1 gw} for HTTP/1.1, {@code 2 gw}, {@code 3 gw}, and
     * {@code acip/0 gw} for a request that reached this hop inside an ACIP session.
     */
    public static Field via(String protocol, String proxyName) {
        String version = switch (protocol) {
            case io.acip.ingress.RequestInfo.BHTTP -> "acip/0";
            case "HTTP/2", "HTTP/2.0" -> "2";
            case "HTTP/3", "HTTP/3.0" -> "3";
            case "HTTP/1.0" -> "1.0";
            default -> "1.1";
        };
        return new Field("via", version + " " + proxyName);
    }
}
