package io.acip.seal;

import io.acip.capsule.VarInt;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The INITIATOR_ATTESTATION TLV (docs/acip-v0.md §7.6): the initiator's node vouches for the SETUP's initiator
 * identity and its groups with its node key, over the session's handshake contribution, so the attestation cannot be
 * lifted onto another session. This class is the value's codec and the signed input; {@link AttestationSigner} and
 * {@link AttestationVerifier} do the cryptography.
 *
 * @param groups the initiator's groups, in order, without duplicates
 * @param nodeCertificate the signing node's certificate, DER
 * @param signature ECDSA P-256 with SHA-256 over {@link #signatureInput}, DER
 */
public record InitiatorAttestation(List<String> groups, byte[] nodeCertificate, byte[] signature) {
    /** Groups one attestation carries at most. */
    public static final int MAX_GROUPS = 32;
    /** Bytes of the Groups field's content at most (each group's varint length included). */
    public static final int MAX_GROUPS_BYTES = 512;
    /** Bytes of a group name at most. */
    public static final int MAX_GROUP = 255;
    /** Bytes of the node certificate at most. */
    public static final int MAX_CERTIFICATE = 2048;
    /** A DER ECDSA P-256 signature is at most 72 bytes; 8 is the smallest well-formed one. */
    static final int MIN_SIGNATURE = 8;
    static final int MAX_SIGNATURE = 72;

    private static final byte[] CONTEXT = "acip/0 initiator attestation".getBytes(StandardCharsets.US_ASCII);

    public InitiatorAttestation {
        groups = List.copyOf(groups);
    }

    /** Why {@code identity} cannot be an attested initiator identity, or null when it can (§7.6: a URI, visible ASCII). */
    public static String identityProblem(String identity) {
        if (identity.isEmpty()) return "an attested initiator identity is not empty";
        if (identity.length() > io.acip.wire.Limits.MAX_NAME) {
            return "an attested initiator identity is at most " + io.acip.wire.Limits.MAX_NAME + " bytes";
        }
        for (int i = 0; i < identity.length(); i++) {
            char c = identity.charAt(i);
            if (c < 0x21 || c > 0x7e) return "an attested initiator identity is visible ASCII (percent-encode the rest)";
        }
        return null;
    }

    /** Why {@code group} cannot be carried, or null when it can: 1..255 bytes of visible ASCII other than a comma. */
    public static String groupProblem(String group) {
        if (group.isEmpty() || group.length() > MAX_GROUP) return "a group name is 1 to " + MAX_GROUP + " bytes";
        for (int i = 0; i < group.length(); i++) {
            char c = group.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ',') return "a group name is visible ASCII without commas";
        }
        return null;
    }

    /** Why {@code groups} cannot be carried together, or null when they can. */
    public static String groupsProblem(List<String> groups) {
        if (groups.size() > MAX_GROUPS) return "more than " + MAX_GROUPS + " groups";
        if (new HashSet<>(groups).size() != groups.size()) return "a group is listed twice";
        for (String g : groups) {
            String p = groupProblem(g);
            if (p != null) return p + ": '" + g + "'";
        }
        if (groupsField(groups).length > MAX_GROUPS_BYTES) return "groups over " + MAX_GROUPS_BYTES + " bytes";
        return null;
    }

    /**
     * The bytes the node key signs (§7.6): the context, then the responder skill, tenant, initiator identity, groups
     * and the initiator's handshake contribution (the SETUP's KEY_SHARE value, or its RESUME value when resuming).
     */
    public static byte[] signatureInput(String responderSkill, long tenant, String initiator, List<String> groups,
                                        byte[] contribution) {
        byte[] skill = responderSkill.getBytes(StandardCharsets.UTF_8);
        byte[] identity = initiator.getBytes(StandardCharsets.UTF_8);
        byte[] g = groupsField(groups);
        ByteArrayOutputStream out = new ByteArrayOutputStream(CONTEXT.length + 32 + skill.length + identity.length
                + g.length + contribution.length);
        out.writeBytes(CONTEXT);
        vbytes(out, skill);
        varint(out, tenant);
        vbytes(out, identity);
        vbytes(out, g);
        vbytes(out, contribution);
        return out.toByteArray();
    }

    /** The TLV's value: Groups (vbytes of vbytes), Node Certificate (vbytes), Signature (to the end). */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(nodeCertificate.length + signature.length + 64);
        vbytes(out, groupsField(groups));
        vbytes(out, nodeCertificate);
        out.writeBytes(signature);
        return out.toByteArray();
    }

    /** Decodes a TLV value; anything malformed or over a limit is refused, as §7.6 says, before it is checked. */
    public static InitiatorAttestation decode(byte[] value) throws SessionAuthenticationException {
        ByteBuffer b = ByteBuffer.wrap(value);
        ByteBuffer groupsField = slice(b, MAX_GROUPS_BYTES, "groups");
        List<String> groups = new ArrayList<>();
        while (groupsField.hasRemaining()) {
            if (groups.size() == MAX_GROUPS) throw malformed("more than " + MAX_GROUPS + " groups");
            ByteBuffer g = slice(groupsField, MAX_GROUP, "group");
            String name = StandardCharsets.US_ASCII.decode(g).toString();
            String problem = groupProblem(name);
            if (problem != null) throw malformed(problem);
            groups.add(name);
        }
        if (new HashSet<>(groups).size() != groups.size()) throw malformed("a group is listed twice");
        ByteBuffer cert = slice(b, MAX_CERTIFICATE, "node certificate");
        if (!cert.hasRemaining()) throw malformed("empty node certificate");
        if (b.remaining() < MIN_SIGNATURE || b.remaining() > MAX_SIGNATURE) {
            throw malformed("signature of " + b.remaining() + " bytes");
        }
        byte[] certificate = new byte[cert.remaining()];
        cert.get(certificate);
        byte[] signature = new byte[b.remaining()];
        b.get(signature);
        return new InitiatorAttestation(groups, certificate, signature);
    }

    private static byte[] groupsField(List<String> groups) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(groups.size() * 16);
        for (String g : groups) vbytes(out, g.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static ByteBuffer slice(ByteBuffer b, int max, String what) throws SessionAuthenticationException {
        long n = VarInt.tryRead(b);
        if (n == VarInt.INCOMPLETE) throw malformed("truncated " + what + " length");
        if (n > max) throw malformed(what + " over " + max + " bytes");
        if (n > b.remaining()) throw malformed(what + " runs past the TLV");
        ByteBuffer s = b.slice(b.position(), (int) n);
        b.position(b.position() + (int) n);
        return s;
    }

    private static SessionAuthenticationException malformed(String why) {
        return new SessionAuthenticationException("malformed initiator attestation: " + why);
    }

    private static void vbytes(ByteArrayOutputStream out, byte[] value) {
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        byte[] b = new byte[8];
        out.write(b, 0, VarInt.write(b, 0, v));
    }
}
