package io.acip.seal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.wire.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The key schedule (docs/acip-v0.md §7.2), checked against HKDF written out with the JDK's HMAC. */
class SessionKeysTest {
    private static final byte[] SECRET = PacketProtectionTest.bytes(32, 20);
    private static final byte[] HASH = PacketProtectionTest.bytes(32, 21);

    @Test
    void keysAreHkdfExpandLabelWithTheAcipPrefix() throws Exception {
        SessionKeys k = SessionKeys.derive(SECRET, HASH);
        byte[] prk = hmac(HASH, SECRET); // HKDF-Extract(salt = transcript hash, IKM = shared secret)
        assertArrayEquals(expandLabel(prk, "i2r key", 16), k.initiatorToResponder().key());
        assertArrayEquals(expandLabel(prk, "i2r iv", 12), k.initiatorToResponder().iv());
        assertArrayEquals(expandLabel(prk, "r2i key", 16), k.responderToInitiator().key());
        assertArrayEquals(expandLabel(prk, "r2i iv", 12), k.responderToInitiator().iv());
    }

    @Test
    void directionsDifferAndDependOnBothInputs() {
        SessionKeys k = SessionKeys.derive(SECRET, HASH);
        assertFalse(Arrays.equals(k.initiatorToResponder().key(), k.responderToInitiator().key()));
        assertFalse(Arrays.equals(k.initiatorToResponder().iv(), k.responderToInitiator().iv()));
        byte[] otherHash = HASH.clone();
        otherHash[0] ^= 1;
        assertFalse(Arrays.equals(k.initiatorToResponder().key(), SessionKeys.derive(SECRET, otherHash).initiatorToResponder().key()));
        byte[] otherSecret = SECRET.clone();
        otherSecret[31] ^= 1;
        assertFalse(Arrays.equals(k.initiatorToResponder().key(), SessionKeys.derive(otherSecret, HASH).initiatorToResponder().key()));
    }

    /** What one end seals, the other end opens: sender(initiator) pairs with receiver(responder) and back. */
    @Test
    void sendersPairWithThePeersReceivers() throws SessionAuthenticationException {
        SessionKeys k = SessionKeys.derive(SECRET, HASH);
        assertEquals("i->r", sealOpen(k.sender(true), k.receiver(false), "i->r"));
        assertEquals("r->i", sealOpen(k.sender(false), k.receiver(true), "r->i"));
        assertThrows(SessionAuthenticationException.class, () -> sealOpen(k.sender(true), k.receiver(true), "x"));
    }

    private static String sealOpen(PacketProtection sealer, PacketProtection opener, String text)
            throws SessionAuthenticationException {
        ByteBuf plain = Unpooled.copiedBuffer(text, UTF_8);
        ByteBuf sealed = sealer.seal(ByteBufAllocator.DEFAULT, PacketType.DATA, 0, 1, plain);
        try {
            ByteBuf out = opener.openInOrder(ByteBufAllocator.DEFAULT, sealed);
            try {
                return out.toString(UTF_8);
            } finally {
                out.release();
            }
        } finally {
            plain.release();
            sealed.release();
        }
    }

    /** RFC 8446 §7.1 HKDF-Expand-Label, "acip " prefix, empty context; HKDF-Expand of RFC 5869 §2.3. */
    private static byte[] expandLabel(byte[] prk, String label, int length) throws Exception {
        byte[] full = ("acip " + label).getBytes(US_ASCII);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.write(length >>> 8);
        info.write(length);
        info.write(full.length);
        info.writeBytes(full);
        info.write(0);
        ByteArrayOutputStream t1 = new ByteArrayOutputStream();
        t1.writeBytes(info.toByteArray());
        t1.write(1);
        return Arrays.copyOf(hmac(prk, t1.toByteArray()), length); // one block suffices for <= 32 bytes
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
