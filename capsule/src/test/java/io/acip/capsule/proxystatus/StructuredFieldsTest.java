package io.acip.capsule.proxystatus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.CodecException;
import io.acip.capsule.proxystatus.StructuredFields.ByteSequence;
import io.acip.capsule.proxystatus.StructuredFields.InnerList;
import io.acip.capsule.proxystatus.StructuredFields.Item;
import io.acip.capsule.proxystatus.StructuredFields.Token;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8941 §4.2 parsing, one test per bare item type and structure, in the spirit of httpwg/structured-field-tests. */
class StructuredFieldsTest {

    private static Object bare(String value) throws CodecException {
        return StructuredFields.parseItem(value).value();
    }

    @Test
    void integers() throws CodecException {
        assertEquals(42L, bare("42"));
        assertEquals(-42L, bare("-42"));
        assertEquals(0L, bare("-0"));
        assertEquals(42L, bare("042")); // leading zeros are allowed
        assertEquals(999_999_999_999_999L, bare("999999999999999"));
        assertThrows(CodecException.class, () -> bare("1000000000000000"));
        assertThrows(CodecException.class, () -> bare("- 1"));
        assertThrows(CodecException.class, () -> bare("+1"));
    }

    @Test
    void decimals() throws CodecException {
        assertEquals(new BigDecimal("1.5"), bare("1.5"));
        assertEquals(new BigDecimal("-1.500"), bare("-1.500"));
        assertEquals(new BigDecimal("123456789012.123"), bare("123456789012.123"));
        assertThrows(CodecException.class, () -> bare("1234567890123.1")); // 13 integer digits
        assertThrows(CodecException.class, () -> bare("1.1234"));
        assertThrows(CodecException.class, () -> bare("1."));
        assertThrows(CodecException.class, () -> bare("1..1"));
    }

    @Test
    void strings() throws CodecException {
        assertEquals("hello world", bare("\"hello world\""));
        assertEquals("", bare("\"\""));
        assertEquals("a\"b\\c", bare("\"a\\\"b\\\\c\""));
        assertThrows(CodecException.class, () -> bare("\"a\\b\""));
        assertThrows(CodecException.class, () -> bare("\"a"));
        assertThrows(CodecException.class, () -> bare("\"\u007f\""));
        assertThrows(CodecException.class, () -> bare("\"a\\\""));
    }

    @Test
    void tokens() throws CodecException {
        assertEquals(new Token("foo123/456"), bare("foo123/456"));
        assertEquals(new Token("*foo:bar"), bare("*foo:bar"));
        assertEquals(new Token("A!#$%&'*+-.^_`|~"), bare("A!#$%&'*+-.^_`|~"));
        assertThrows(CodecException.class, () -> bare("foo\"bar"));
        assertTrue(StructuredFields.isToken("dns_error"));
        assertFalse(StructuredFields.isToken("1abc"));
        assertFalse(StructuredFields.isToken("a b"));
        assertFalse(StructuredFields.isToken(""));
    }

    @Test
    void byteSequences() throws CodecException {
        assertArrayEquals("pretend this is binary content.".getBytes(),
                ((ByteSequence) bare(":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:")).bytes());
        assertArrayEquals(new byte[0], ((ByteSequence) bare("::")).bytes());
        assertArrayEquals("pretend".getBytes(), ((ByteSequence) bare(":cHJldGVuZA:")).bytes()); // padding optional
        assertThrows(CodecException.class, () -> bare(":cHJldGVuZA=:x"));
        assertThrows(CodecException.class, () -> bare(":c HJ:"));
        assertThrows(CodecException.class, () -> bare(":a:"));
    }

    @Test
    void booleans() throws CodecException {
        assertEquals(true, bare("?1"));
        assertEquals(false, bare("?0"));
        assertThrows(CodecException.class, () -> bare("?"));
        assertThrows(CodecException.class, () -> bare("?2"));
        assertThrows(CodecException.class, () -> bare("?true"));
    }

    @Test
    void parameters() throws CodecException {
        Item item = StructuredFields.parseItem("a; b=1; c; *d=\"x\";e=?0");
        assertEquals(new Token("a"), item.value());
        assertEquals(List.of("b", "c", "*d", "e"), List.copyOf(item.params().keySet()));
        assertEquals(Map.of("b", 1L, "c", true, "*d", "x", "e", false), item.params());
        assertThrows(CodecException.class, () -> StructuredFields.parseItem("a ;b"));
        assertThrows(CodecException.class, () -> StructuredFields.parseItem("a;B=1"));
    }

    @Test
    void listsWithInnerLists() throws CodecException {
        List<Object> list = StructuredFields.parseList("(\"foo\" \"bar\");lvl=5, ( ), (a;x b)");
        assertEquals(3, list.size());
        InnerList first = (InnerList) list.get(0);
        assertEquals(List.of(new Item("foo", Map.of()), new Item("bar", Map.of())), first.items());
        assertEquals(Map.of("lvl", 5L), first.params());
        assertEquals(List.of(), ((InnerList) list.get(1)).items());
        assertEquals(Map.of("x", true), ((InnerList) list.get(2)).items().get(0).params());
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a", "(a,b)", "(a b", "(a)b", "a, (", "((a))"})
    void malformedInnerLists(String value) {
        assertThrows(CodecException.class, () -> StructuredFields.parseList(value));
    }

    @Test
    void anItemIsNotAList() {
        assertThrows(CodecException.class, () -> StructuredFields.parseItem("a, b"));
        assertThrows(CodecException.class, () -> StructuredFields.parseItem("(a b)"));
        assertThrows(CodecException.class, () -> StructuredFields.parseItem(""));
    }

    @Test
    void serialisesStringsWithEscapes() {
        StringBuilder out = new StringBuilder();
        StructuredFields.appendBareItem(out, "a\"b\\c");
        assertEquals("\"a\\\"b\\\\c\"", out.toString());
    }

    @Test
    void keys() {
        assertTrue(StructuredFields.isKey("info-code"));
        assertTrue(StructuredFields.isKey("*x_1.y"));
        assertFalse(StructuredFields.isKey("Info"));
        assertFalse(StructuredFields.isKey("-a"));
    }
}
