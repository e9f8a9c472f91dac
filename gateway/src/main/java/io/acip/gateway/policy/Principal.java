package io.acip.gateway.policy;

import java.util.List;
import java.util.Objects;

/**
 * Who is calling, as the edge established it (DESIGN §7) or as an attestation vouches for it at the far gateway.
 *
 * @param identity the identity URI (docs/security.md: {@code apikey:<name>}, {@code <iss>/<sub>} for a JWT, the
 *     certificate's SAN URI or {@code dns:<name>} for mTLS); null for an anonymous agent
 * @param groups the groups the credential names, in order, without duplicates
 * @param method how it was established
 */
public record Principal(String identity, List<String> groups, Method method) {
    /** How a principal was established. */
    public enum Method {
        ANONYMOUS, API_KEY, JWT, MTLS,
        /** Vouched for by another node's attestation (the far gateway's view, docs/acip-v0.md). */
        ATTESTED
    }

    public static final Principal ANONYMOUS = new Principal(null, List.of(), Method.ANONYMOUS);

    public Principal {
        groups = List.copyOf(new java.util.LinkedHashSet<>(groups));
        Objects.requireNonNull(method);
        if ((identity == null) != (method == Method.ANONYMOUS)) {
            throw new IllegalArgumentException("an anonymous principal has no identity, any other has one");
        }
    }

    public boolean authenticated() {
        return method != Method.ANONYMOUS;
    }

    /** For logs and problem details: the identity, or {@code anonymous}. */
    @Override
    public String toString() {
        return authenticated() ? identity : "anonymous";
    }
}
