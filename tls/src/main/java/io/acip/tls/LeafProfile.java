package io.acip.tls;

import io.acip.tls.identity.IdentityUri;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What kind of leaf certificate to issue: its subject CN, its subjectAltNames, its extended key usages. The four
 * kinds the fabric needs each have a factory here; {@link FabricCa} adds the rest (key usage, key identifiers,
 * validity) the same way for all.
 */
record LeafProfile(String commonName, List<GeneralName> subjectAltNames, List<KeyPurposeId> extendedKeyUsages) {
    private static final List<KeyPurposeId> MUTUAL =
            List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
    private static final List<KeyPurposeId> SERVER = List.of(KeyPurposeId.id_kp_serverAuth);
    // RFC 1123 labels, plus '_' which real service names use; '*' only as a whole leftmost label (RFC 6125 §6.4.3).
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    LeafProfile {
        subjectAltNames = List.copyOf(subjectAltNames);
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
        if (subjectAltNames.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one subjectAltName");
        }
    }

    /** A fabric node: mutual TLS between nodes, so both server and client authentication. */
    static LeafProfile node(String nodeId, IssueOptions options) {
        return identity(IdentityUri.node(nodeId), options);
    }

    /** A skill's owner, proving it to initiators (and to TLS peers on either side). */
    static LeafProfile skill(String skillName, IssueOptions options) {
        return identity(IdentityUri.skill(skillName), options);
    }

    /** The gateway's own TLS listener. */
    static LeafProfile server(List<String> dnsNames, List<InetAddress> ips) {
        List<GeneralName> sans = new ArrayList<>();
        dnsNames.forEach(n -> sans.add(dns(n, true)));
        ips.forEach(ip -> sans.add(ip(ip)));
        String cn = !dnsNames.isEmpty() ? dnsNames.get(0) : ips.isEmpty() ? "" : ips.get(0).getHostAddress();
        return new LeafProfile(cn, sans, SERVER);
    }

    /** A leaf minted to intercept TLS to {@code host}, a DNS name or an IP literal already validated. */
    static LeafProfile interception(String host, InetAddress ipOrNull) {
        GeneralName san = ipOrNull != null ? ip(ipOrNull) : dns(host, false);
        return new LeafProfile(host, List.of(san), SERVER);
    }

    private static LeafProfile identity(IdentityUri uri, IssueOptions options) {
        List<GeneralName> sans = new ArrayList<>();
        sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri.uri()));
        options.dnsNames().forEach(n -> sans.add(dns(n, false)));
        options.ipAddresses().forEach(ip -> sans.add(ip(ip)));
        return new LeafProfile(uri.name(), sans, MUTUAL);
    }

    /** Whether {@code name} is a host name a dNSName SAN may carry (RFC 5280 §4.2.1.6: preferred name syntax). */
    static boolean isDnsName(String name, boolean wildcardAllowed) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.isEmpty() || n.length() > 253) {
            return false;
        }
        String[] labels = n.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            boolean wildcard = i == 0 && labels.length > 2 && wildcardAllowed && labels[0].equals("*");
            if (!wildcard && !LABEL.matcher(labels[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static GeneralName dns(String name, boolean wildcardAllowed) {
        if (!isDnsName(name, wildcardAllowed)) {
            throw new IllegalArgumentException("not a valid DNS name for a certificate: \"" + name + "\"");
        }
        return new GeneralName(GeneralName.dNSName, name.toLowerCase(Locale.ROOT));
    }

    private static GeneralName ip(InetAddress ip) {
        return new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress()));
    }
}
