package io.acip.tls.hkdf;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HKDF with SHA-256 (RFC 5869), computed by Bouncy Castle's {@link HKDFBytesGenerator}, and the TLS 1.3 way of
 * naming what a derived key is for (RFC 8446 §7.1 {@code HKDF-Expand-Label}). ACIP derives its session keys with
 * {@link #ACIP_LABEL_PREFIX} where TLS 1.3 uses {@code "tls13 "}, so an ACIP key can never equal a TLS key derived
 * from the same secret and label.
 */
public final class Hkdf {
    /** SHA-256 output length: the PRK size, and the unit {@link #expand} counts blocks in. */
    public static final int HASH_LENGTH = 32;

    /** The label prefix of ACIP's key schedule. */
    public static final String ACIP_LABEL_PREFIX = "acip ";

    /** The label prefix of TLS 1.3's key schedule (RFC 8446 §7.1). */
    public static final String TLS13_LABEL_PREFIX = "tls13 ";

    private Hkdf() {
    }

    /** HKDF-Extract(salt, IKM) → PRK, 32 bytes; an empty or null salt means 32 zero bytes (RFC 5869 §2.2). */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        // Bouncy Castle substitutes HashLen zeros for a null salt; an empty one is the same HMAC key anyway.
        byte[] s = salt == null || salt.length == 0 ? null : salt;
        return new HKDFBytesGenerator(new SHA256Digest()).extractPRK(s, ikm);
    }

    /** HKDF-Expand(PRK, info, L) → OKM (RFC 5869 §2.3): PRK at least 32 bytes, L at most 255 × 32. */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        return new Expander(prk).expand(info, length);
    }

    /**
     * Expands one PRK many times, with the HMAC keyed once: a key schedule that derives several values from the same
     * PRK pays the HMAC key setup once instead of per value. Not thread-safe.
     */
    public static Expander expander(byte[] prk) {
        return new Expander(prk);
    }

    /** See {@link #expander}. */
    public static final class Expander {
        private final HMac hmac = new HMac(new SHA256Digest());
        private final byte[] block = new byte[HASH_LENGTH];

        private Expander(byte[] prk) {
            if (prk.length < HASH_LENGTH) {
                throw new IllegalArgumentException("PRK must be at least " + HASH_LENGTH + " bytes, got " + prk.length);
            }
            hmac.init(new KeyParameter(prk));
        }

        /** HKDF-Expand(PRK, info, length), as {@link Hkdf#expand}; {@link #hkdfLabel} makes an Expand-Label info. */
        public byte[] expand(byte[] info, int length) {
            if (length < 0 || length > 255 * HASH_LENGTH) {
                throw new IllegalArgumentException("HKDF-Expand length must be 0.." + 255 * HASH_LENGTH + ": " + length);
            }
            byte[] okm = new byte[length];
            int done = 0;
            for (int i = 1; done < length; i++) { // T(i) = HMAC(PRK, T(i-1) || info || i)
                if (i > 1) hmac.update(block, 0, HASH_LENGTH);
                hmac.update(info, 0, info.length);
                hmac.update((byte) i);
                hmac.doFinal(block, 0); // also resets to the keyed state
                int n = Math.min(HASH_LENGTH, length - done);
                System.arraycopy(block, 0, okm, done, n);
                done += n;
            }
            return okm;
        }
    }

    /** HKDF-Expand-Label with the ACIP prefix: {@code expandLabel(ACIP_LABEL_PREFIX, ...)}. */
    public static byte[] expandLabel(byte[] secret, String label, byte[] context, int length) {
        return expandLabel(ACIP_LABEL_PREFIX, secret, label, context, length);
    }

    /**
     * HKDF-Expand(secret, HkdfLabel, length) where HkdfLabel (RFC 8446 §7.1) is
     * {@code uint16 length || opaque label<..255> = prefix + label || opaque context<0..255>}.
     */
    public static byte[] expandLabel(String prefix, byte[] secret, String label, byte[] context, int length) {
        return expand(secret, hkdfLabel(prefix, label, context, length), length);
    }

    /** The encoded HkdfLabel structure, the {@code info} that {@link #expandLabel} expands with. */
    public static byte[] hkdfLabel(String prefix, String label, byte[] context, int length) {
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(prefix + label)) {
            throw new IllegalArgumentException("labels are ASCII: \"" + prefix + label + "\"");
        }
        byte[] fullLabel = (prefix + label).getBytes(StandardCharsets.US_ASCII);
        if (fullLabel.length == 0 || fullLabel.length > 255) {
            throw new IllegalArgumentException("prefix + label must be 1..255 bytes: " + fullLabel.length);
        }
        if (context.length > 255) {
            throw new IllegalArgumentException("context must be at most 255 bytes: " + context.length);
        }
        if (length < 0 || length > 0xffff) {
            throw new IllegalArgumentException("length must fit in uint16: " + length);
        }
        byte[] info = new byte[2 + 1 + fullLabel.length + 1 + context.length];
        int i = 0;
        info[i++] = (byte) (length >>> 8);
        info[i++] = (byte) length;
        info[i++] = (byte) fullLabel.length;
        System.arraycopy(fullLabel, 0, info, i, fullLabel.length);
        i += fullLabel.length;
        info[i++] = (byte) context.length;
        System.arraycopy(context, 0, info, i, context.length);
        return info;
    }
}
