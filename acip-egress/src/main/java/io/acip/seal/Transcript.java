package io.acip.seal;

import io.acip.capsule.VarInt;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The handshake transcript both ends hash (docs/acip-v0.md §7.2): the SETUP and SETUP_ACK fields that no forwarder
 * may change. Labels, hop limit and trajectory change hop by hop and are left out; everything that decides who
 * talks to whom, in which mode, tenant and payload protocol, under which policy, with which keys, is in.
 *
 * @param setupMetadata the SETUP's end-to-end TLVs as encoded ({@code Metadata.endToEnd()})
 */
public record Transcript(boolean datagramMode, String responderSkill, String initiator, byte[] setupMetadata,
                         byte[] initiatorShare, byte[] responderShare, byte[] skillCertificate,
                         String selectedInstance) {
    private static final byte[] CONTEXT = "acip/0 transcript".getBytes(StandardCharsets.US_ASCII);

    public byte[] hash() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + skillCertificate.length);
        out.writeBytes(CONTEXT);
        out.write(datagramMode ? 1 : 0);
        field(out, responderSkill.getBytes(StandardCharsets.UTF_8));
        field(out, initiator.getBytes(StandardCharsets.UTF_8));
        field(out, setupMetadata);
        field(out, initiatorShare);
        field(out, responderShare);
        field(out, skillCertificate);
        field(out, selectedInstance.getBytes(StandardCharsets.UTF_8));
        try {
            return MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static void field(ByteArrayOutputStream out, byte[] value) {
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        byte[] b = new byte[8];
        out.write(b, 0, VarInt.write(b, 0, v));
    }
}
