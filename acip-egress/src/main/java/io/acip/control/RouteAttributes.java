package io.acip.control;

import io.acip.wire.MalformedPacketException;
import io.acip.wire.Metadata;
import io.acip.wire.Tlv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The route attributes v0 defines (docs/acip-v0.md §12.3), read from and written to an announcement's TLVs. All are
 * even: a node that does not know one still forwards by the route and carries it on.
 *
 * @param origin {@link #ORIGIN_ATTACHED} or {@link #ORIGIN_STATIC}
 * @param region empty when the instances behind the route differ or do not say
 * @param load per mille of capacity, -1 when not announced
 * @param latencyMs -1 when not announced
 */
public record RouteAttributes(long origin, String region, Map<String, String> instanceAttributes, long load,
                              long latencyMs) {
    public static final long ORIGIN = 0x02;
    public static final long REGION = 0x04;
    public static final long INSTANCE_ATTRIBUTES = 0x06;
    public static final long LOAD = 0x08;
    public static final long LATENCY_MS = 0x0a;

    public static final long ORIGIN_ATTACHED = 0;
    public static final long ORIGIN_STATIC = 1;

    public RouteAttributes {
        instanceAttributes = Map.copyOf(instanceAttributes);
    }

    /** Reads the known attributes; a malformed value of one is the sender's error. */
    public static RouteAttributes of(Metadata m) throws MalformedPacketException {
        long origin = m.first(ORIGIN).isPresent() ? m.first(ORIGIN).get().varInt() : ORIGIN_ATTACHED;
        String region = m.string(REGION).orElse("");
        Map<String, String> attrs = new TreeMap<>();
        for (String kv : m.string(INSTANCE_ATTRIBUTES).orElse("").split(",")) {
            if (kv.isBlank()) continue;
            int eq = kv.indexOf('=');
            if (eq <= 0 || kv.substring(0, eq).isBlank()) throw new MalformedPacketException("instance attribute '"
                    + kv + "' is not key=value");
            attrs.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        long load = m.first(LOAD).isPresent() ? m.first(LOAD).get().varInt() : -1;
        long latency = m.first(LATENCY_MS).isPresent() ? m.first(LATENCY_MS).get().varInt() : -1;
        return new RouteAttributes(origin, region, attrs, load, latency);
    }

    /** The TLVs an origin announces, in type order; empty and unknown values are left out. */
    public Metadata encode() {
        List<Tlv> out = new ArrayList<>();
        out.add(Tlv.ofVarInt(ORIGIN, origin));
        if (!region.isEmpty()) out.add(Tlv.ofString(REGION, region));
        if (!instanceAttributes.isEmpty()) {
            StringBuilder b = new StringBuilder();
            new TreeMap<>(instanceAttributes).forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
            out.add(Tlv.ofString(INSTANCE_ATTRIBUTES, b.toString()));
        }
        if (load >= 0) out.add(Tlv.ofVarInt(LOAD, load));
        if (latencyMs >= 0) out.add(Tlv.ofVarInt(LATENCY_MS, latencyMs));
        return new Metadata(out);
    }

    /** The first odd (must-understand) attribute v0 does not define, or -1: such a route is not used. */
    public static long unknownMustUnderstand(Metadata m) {
        for (Tlv t : m.tlvs()) if ((t.type() & 1) == 1) return t.type();
        return -1;
    }
}
