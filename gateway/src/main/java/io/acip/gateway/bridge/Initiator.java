package io.acip.gateway.bridge;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.policy.Principal;
import io.acip.ingress.HttpFailure;
import io.acip.node.SessionRequest;
import io.acip.seal.InitiatorAttestation;
import io.acip.wire.Limits;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a session is opened as (docs/acip-v0.md §7.6): an authenticated principal becomes the SETUP's initiator identity,
 * attested by this node with its groups; an anonymous agent keeps the unattested form naming its address
 * ({@code http://<ip>}, {@code tcp://<ip>}, {@code udp://<ip>}).
 */
public final class Initiator {
    private Initiator() {
    }

    /** An identity a SETUP cannot carry (over 255 bytes once encoded): the caller answers 403 with this failure. */
    public static final class Uncarried extends Exception {
        private final transient HttpFailure failure;

        Uncarried(Principal principal, SkillName skill, String why) {
            super(why, null, false, false);
            this.failure = new HttpFailure(403, ProxyErrorType.HTTP_REQUEST_DENIED, "identity " + principal
                    + " cannot be carried to skill " + skill + ": " + why);
        }

        public HttpFailure failure() {
            return failure;
        }
    }

    /**
     * The session request for {@code principal}; an anonymous agent is named {@code <scheme>://<its address>}
     * ({@code http}, {@code tcp} or {@code udp}), unattested.
     */
    public static SessionRequest request(SkillName skill, Principal principal, String scheme,
                                         java.net.InetSocketAddress agent, boolean datagram, List<Tlv> metadata)
            throws Uncarried {
        if (!principal.authenticated()) {
            String unattested = scheme + "://" + (agent == null ? "unknown" : agent.getAddress().getHostAddress());
            return new SessionRequest(skill, unattested, datagram, metadata, Limits.DEFAULT_HOP_LIMIT);
        }
        try {
            return new SessionRequest(skill, uri(principal.identity()), datagram, metadata, Limits.DEFAULT_HOP_LIMIT)
                    .attested(carried(principal.groups()));
        } catch (IllegalArgumentException e) {
            throw new Uncarried(principal, skill, e.getMessage());
        }
    }

    /**
     * An attested identity is visible ASCII: other bytes of its UTF-8, and {@code %} itself (so that two identities
     * never encode alike), are percent-encoded (RFC 3986 §2.1).
     */
    static String uri(String identity) {
        StringBuilder b = new StringBuilder(identity.length());
        for (byte x : identity.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 0x21 && c <= 0x7e && c != '%') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }

    /**
     * The groups an attestation can carry, in order: one that cannot be named in an attestation (or in the origin's
     * comma-separated field) is left out, as are those past the limits. Fewer groups can only narrow what a far
     * gateway grants.
     */
    static List<String> carried(List<String> groups) {
        List<String> out = new ArrayList<>();
        for (String g : groups) {
            if (InitiatorAttestation.groupProblem(g) != null || out.contains(g)) continue;
            out.add(g);
            if (InitiatorAttestation.groupsProblem(out) != null) {
                out.remove(out.size() - 1);
                break;
            }
        }
        return out;
    }
}
