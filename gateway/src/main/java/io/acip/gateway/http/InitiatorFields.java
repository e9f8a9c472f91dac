package io.acip.gateway.http;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.seal.AttestedInitiator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The request fields in which a far gateway tells its origin who calls (docs/security.md, "Identity across the
 * fabric"): only the gateway may set them, from an initiator attestation it verified (docs/acip-v0.md §7.6). Whatever
 * an agent sent under these names is removed, at the edge and again at the far side, so an origin can trust their
 * presence. An unattested session gets none of them.
 */
public final class InitiatorFields {
    /** The attested initiator identity (the SETUP's I). */
    public static final String INITIATOR = "acip-initiator";
    /** Its groups, comma-separated, in the attestation's order; absent when it has none. */
    public static final String GROUPS = "acip-initiator-groups";
    /** The node that attested it. */
    public static final String ATTESTED_BY = "acip-attested-by";

    private InitiatorFields() {
    }

    /** {@code fields} (a header or a trailer section) without any field of these names, however spelled. */
    public static Fields strip(Fields fields) {
        List<Field> out = new ArrayList<>(fields.lines().size());
        for (Field f : fields.lines()) {
            if (!isInitiatorField(f.name())) out.add(f);
        }
        return out.size() == fields.lines().size() ? fields : new Fields(out);
    }

    /** The fields for an origin: the verified identity, groups and attesting node; none when unattested. */
    public static List<Field> of(Optional<AttestedInitiator> attested) {
        if (attested.isEmpty()) return List.of();
        AttestedInitiator a = attested.get();
        List<Field> out = new ArrayList<>(3);
        out.add(new Field(INITIATOR, a.identity()));
        if (!a.groups().isEmpty()) out.add(new Field(GROUPS, String.join(",", a.groups())));
        out.add(new Field(ATTESTED_BY, a.nodeId()));
        return out;
    }

    /**
     * These names in any case, and spelled with {@code _} for {@code -}: CGI, WSGI, PHP, Rack (and nginx with
     * underscores_in_headers) fold both spellings into one {@code HTTP_ACIP_INITIATOR}, so an agent's
     * {@code acip_initiator} would pass for the verified field.
     */
    private static boolean isInitiatorField(String name) {
        String n = name.replace('_', '-');
        return n.equalsIgnoreCase(INITIATOR) || n.equalsIgnoreCase(GROUPS) || n.equalsIgnoreCase(ATTESTED_BY);
    }
}
