package io.acip.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Skill names (docs/acip-v0.md §3.3.1). */
class SkillNameTest {
    private static final String SEG63 = "s".repeat(63);

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "-", "_", "bank-a/payments/authorize", "a_b/c-d/0/x", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p"})
    void validNames(String name) throws MalformedPacketException {
        assertTrue(SkillName.isValid(name));
        assertEquals(name, new SkillName(name).value());
        assertEquals(name, SkillName.parse(name).toString());
    }

    @Test
    void limitsAreInclusive() {
        assertTrue(SkillName.isValid(SEG63), "63-character segment");
        String name255 = SEG63 + "/" + SEG63 + "/" + SEG63 + "/" + SEG63;
        assertEquals(255, name255.length());
        assertTrue(SkillName.isValid(name255));
        assertFalse(SkillName.isValid(name255 + "x"), "256 bytes");
        assertFalse(SkillName.isValid(SEG63 + "s"), "64-character segment");
        assertFalse(SkillName.isValid("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q"), "17 segments");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A", "a/B", "Bank-a", "a//b", "/a", "a/", "/", "a b", "a.b", "a:b", "é", "a\\b", "a/b/"})
    void invalidNames(String name) {
        assertFalse(SkillName.isValid(name));
        assertThrows(IllegalArgumentException.class, () -> new SkillName(name), "constructor: a programming error");
        assertThrows(MalformedPacketException.class, () -> SkillName.parse(name), "parse: the peer's fault");
    }

    @Test
    void nullIsInvalid() {
        assertFalse(SkillName.isValid(null));
        assertThrows(IllegalArgumentException.class, () -> new SkillName(null));
    }

    @ParameterizedTest
    @CsvSource({
            "a/b/c, a/b/c, true",
            "a/b/c, a/b, true",
            "a/b/c, a, true",
            "a/bc, a/b, false",
            "a/b, a/b/c, false",
            "ab/c, a, false",
            "bank-a/payments-eu, bank-a/payments, false",
            "bank-a/payments/authorize, bank-a/payments, true",
            "b/a, a, false"})
    void isUnderMatchesWholeSegments(String name, String prefix, boolean under) {
        assertEquals(under, new SkillName(name).isUnder(new SkillName(prefix)));
    }

    @Test
    void segments() {
        assertEquals(List.of("bank-a", "payments", "authorize"), new SkillName("bank-a/payments/authorize").segments());
        assertEquals(List.of("a"), new SkillName("a").segments());
    }
}
