package io.acip.routing;

import io.acip.wire.Metadata;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.TlvType;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The routing-relevant metadata of a SETUP (docs/acip-v0.md §4): tenant, allowed regions, required instance
 * attributes, latency bound and affinity key. Parsed once where the SETUP enters a node.
 *
 * @param maxLatencyMs 0 when unbounded
 * @param affinityKey empty when the initiator asked for none
 */
public record SessionPolicy(long tenant, Set<String> allowedRegions, Map<String, String> requiredAttributes,
                            long maxLatencyMs, byte[] affinityKey) {
    public static final SessionPolicy NONE = new SessionPolicy(0, Set.of(), Map.of(), 0, new byte[0]);

    public static SessionPolicy from(Metadata m) throws MalformedPacketException {
        long tenant = m.first(TlvType.TENANT).isPresent() ? m.first(TlvType.TENANT).get().varInt() : 0;
        Set<String> regions = new LinkedHashSet<>();
        for (var t : m.all(TlvType.ALLOWED_REGIONS)) {
            for (String r : t.string().split(",")) if (!r.isBlank()) regions.add(r.trim());
        }
        Map<String, String> attrs = new HashMap<>();
        for (var t : m.all(TlvType.REQUIRED_ATTRIBUTES)) {
            for (String kv : t.string().split(",")) {
                if (kv.isBlank()) continue;
                int eq = kv.indexOf('=');
                String key = eq < 0 ? "" : kv.substring(0, eq).trim();
                if (key.isEmpty()) throw new MalformedPacketException("required attribute '" + kv + "' is not key=value");
                attrs.put(key, kv.substring(eq + 1).trim());
            }
        }
        long latency = m.first(TlvType.MAX_LATENCY_MS).isPresent() ? m.first(TlvType.MAX_LATENCY_MS).get().varInt() : 0;
        byte[] affinity = m.first(TlvType.AFFINITY_KEY).map(t -> t.value()).orElse(new byte[0]);
        return new SessionPolicy(tenant, Set.copyOf(regions), Map.copyOf(attrs), latency, affinity);
    }

    /**
     * Whether the hop may carry the session. A local instance must match every constraint. A neighbour that
     * declares no region (or no attributes) is a way toward instances that will be checked further on, so it is not
     * excluded for what it does not declare; one that declares them is held to them.
     */
    public boolean admits(NextHop hop) {
        boolean undeclared = hop instanceof NextHop.Neighbour;
        if (!allowedRegions.isEmpty() && !(undeclared && hop.region().isEmpty())
                && !allowedRegions.contains(hop.region())) {
            return false;
        }
        if (undeclared && hop.attributes().isEmpty()) return true;
        for (var e : requiredAttributes.entrySet()) {
            if (!e.getValue().equals(hop.attributes().get(e.getKey()))) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "tenant=" + tenant + (allowedRegions.isEmpty() ? "" : " regions=" + allowedRegions)
                + (requiredAttributes.isEmpty() ? "" : " attributes=" + requiredAttributes)
                + (maxLatencyMs == 0 ? "" : " max_latency_ms=" + maxLatencyMs);
    }
}
