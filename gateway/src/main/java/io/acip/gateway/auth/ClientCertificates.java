package io.acip.gateway.auth;

import io.acip.gateway.policy.Principal;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Agents identified by the TLS client certificate the listener already verified against {@code auth.mtls.trust}: the
 * identity is the leaf's first subjectAltName URI (a SPIFFE ID, say), else {@code dns:<first DNS name>}.
 */
final class ClientCertificates {
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private final List<String> groups;

    ClientCertificates(List<String> groups) {
        this.groups = List.copyOf(groups);
    }

    /** The principal the chain names; empty when there is no chain or its leaf names no URI or DNS name. */
    Optional<Principal> principal(List<X509Certificate> chain) {
        if (chain.isEmpty()) return Optional.empty();
        return identity(chain.get(0)).map(id -> new Principal(id, groups, Principal.Method.MTLS));
    }

    static Optional<String> identity(X509Certificate leaf) {
        Collection<List<?>> names;
        try {
            names = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) return Optional.empty();
        String dns = null;
        for (List<?> n : names) {
            if (n.size() < 2 || !(n.get(0) instanceof Integer type) || !(n.get(1) instanceof String value)) continue;
            if (type == SAN_URI) return Optional.of(value);
            if (type == SAN_DNS && dns == null) dns = "dns:" + value.toLowerCase(java.util.Locale.ROOT);
        }
        return Optional.ofNullable(dns);
    }
}
