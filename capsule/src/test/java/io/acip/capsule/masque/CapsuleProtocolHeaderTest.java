package io.acip.capsule.masque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9297 §3.4, one row per rule. */
class CapsuleProtocolHeaderTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "?1            | true  | a Boolean true says the Capsule Protocol is in use",
        "?0            | false | a false value means the same as no field",
        "?1;foo=bar    | true  | parameters are ignored",
        "?1; foo       | true  | a parameter without value is ignored too; SP after ';' is allowed",
        "?1;a=1;b=\"x\" | true | several parameters",
        "?0;foo=bar    | false | parameters do not make false true",
        "` ?1`         | true  | leading SP is not part of the value",
        "`?1 `         | true  | trailing SP is not part of the value",
        "`\t?1\t`      | true  | neither is HTAB (OWS)",
        "1             | false | an Integer is not a Boolean: handled as absent",
        "true          | false | a Token is not a Boolean",
        "\"?1\"        | false | a String is not a Boolean",
        ":AQ==:        | false | a Byte Sequence is not a Boolean",
        "(?1)          | false | an Inner List is not an Item",
        "`?1, ?1`      | false | a List (the field sent twice, combined) is ignored",
        "?1;FOO=bar    | false | an uppercase key does not parse, so the field is handled as absent",
        "`?1 ;foo`     | false | SP before ';' does not parse (RFC 8941 §4.2.3.2)",
        "?2            | false | not a Boolean and not parsable",
        "?             | false | truncated",
        "?11           | false | trailing characters do not parse",
        "``            | false | empty",
        "🤡            | false | not ASCII",
    })
    void fieldValue(String value, boolean expected, String rule) {
        assertEquals(expected, CapsuleProtocolHeader.isTrue(value), rule);
    }

    @Test
    void absentFieldIsFalse() {
        assertFalse(CapsuleProtocolHeader.isTrue((String) null));
        assertFalse(CapsuleProtocolHeader.isTrue(List.of()));
    }

    @Test
    void oneFieldLine() {
        assertTrue(CapsuleProtocolHeader.isTrue(List.of("?1")));
        assertFalse(CapsuleProtocolHeader.isTrue(List.of("?0")));
    }

    @Test
    void severalFieldLinesAreCombinedIntoAListAndIgnored() {
        // RFC 9297 §3.4: "if this field is included multiple times, its type will become a List and the field will
        // be ignored".
        assertFalse(CapsuleProtocolHeader.isTrue(List.of("?1", "?1")));
        assertFalse(CapsuleProtocolHeader.isTrue(List.of("?1", "?0")));
    }

    @Test
    void nullLinesAreSkipped() {
        assertTrue(CapsuleProtocolHeader.isTrue(Arrays.asList(null, "?1")));
    }

    @Test
    void whatWeSendReadsAsTrue() {
        assertEquals("Capsule-Protocol", CapsuleProtocolHeader.NAME);
        assertTrue(CapsuleProtocolHeader.isTrue(CapsuleProtocolHeader.TRUE));
    }
}
