package io.acip.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** X25519 key shares (docs/acip-v0.md §7.1). */
class KeyShareTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 7748 §6.1. */
    @Test
    void rfc7748KeyAgreement() throws SessionAuthenticationException {
        KeyShare alice = KeyShare.fromPrivate(HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        KeyShare bob = KeyShare.fromPrivate(HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", HEX.formatHex(alice.publicKey()));
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", HEX.formatHex(bob.publicKey()));
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertEquals(shared, HEX.formatHex(alice.agree(bob.publicKey())));
        assertEquals(shared, HEX.formatHex(bob.agree(alice.publicKey())));
    }

    @Test
    void generatedSharesAgreeAndDiffer() throws SessionAuthenticationException {
        SecureRandom rnd = new SecureRandom();
        KeyShare a = KeyShare.generate(rnd);
        KeyShare b = KeyShare.generate(rnd);
        assertEquals(KeyShare.LENGTH, a.publicKey().length);
        assertArrayEquals(a.agree(b.publicKey()), b.agree(a.publicKey()));
        assertFalse(Arrays.equals(a.publicKey(), b.publicKey()));
    }

    /**
     * Points of small order give an all-zero secret whatever the private key (RFC 7748 §6.1): refused. The list is
     * the usual one (0, 1, the two points of order 8, and p - 1, p, p + 1 as non-canonical encodings).
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"})
    void lowOrderPointsAreRefused(String share) {
        KeyShare mine = KeyShare.generate(new SecureRandom());
        SessionAuthenticationException e = assertThrows(SessionAuthenticationException.class,
                () -> mine.agree(HEX.parseHex(share)));
        assertEquals("key share is a low-order point", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33, 64})
    void shareOfTheWrongLengthIsRefused(int length) {
        KeyShare mine = KeyShare.generate(new SecureRandom());
        assertThrows(SessionAuthenticationException.class, () -> mine.agree(new byte[length]));
    }
}
