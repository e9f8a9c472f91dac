package io.acip.capsule.bhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value types hold only what a valid message can carry, so an encoder cannot write an invalid one. */
class ValueTypesTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a:b", ":", "caf\u00e9", "a\u0100", "(x)", "a/b", "a@b"})
    void fieldNamesMustBeTokens(String name) {
        assertThrows(IllegalArgumentException.class, () -> new Field(name, "v"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\ry", "x\ny", "x\0y", " x", "x ", "\tx", "x\t", "\u0100"})
    void fieldValuesFollowRfc9113Section821(String value) {
        assertThrows(IllegalArgumentException.class, () -> new Field("a", value));
    }

    @Test
    void fieldsKeepNamesAsGivenAndLinesInOrder() {
        Fields fields = Fields.of("Content-Type", "text/plain", "x", "1", "x", "2");
        assertEquals("Content-Type", fields.lines().get(0).name());
        assertEquals(Optional.of("text/plain"), fields.first("content-type"));
        assertEquals(Optional.of("1"), fields.first("X"));
        assertEquals(Optional.empty(), fields.first("y"));
    }

    @Test
    void fieldsAreImmutable() {
        List<Field> lines = new ArrayList<>(List.of(new Field("a", "1")));
        Fields fields = new Fields(lines);
        lines.add(new Field("b", "2"));
        assertEquals(1, fields.lines().size());
        assertThrows(UnsupportedOperationException.class, () -> fields.lines().add(new Field("c", "3")));
    }

    /** RFC 9292 §3.6: control data carries these, and pseudo-fields come before all other fields. */
    @Test
    void pseudoFieldRules() {
        assertThrows(IllegalArgumentException.class, () -> Fields.of(":path", "/"));
        assertThrows(IllegalArgumentException.class, () -> Fields.of(":status", "200"));
        assertThrows(IllegalArgumentException.class, () -> Fields.of("a", "1", ":protocol", "x"));
        assertTrue(Fields.of(":protocol", "websocket", "a", "1").hasPseudoFields());
    }

    /** RFC 9292 §3.5: informational 100..199, final 200..599. */
    @Test
    void statusRange() {
        assertThrows(IllegalArgumentException.class, () -> new ResponseHead(99));
        assertThrows(IllegalArgumentException.class, () -> new ResponseHead(600));
        assertTrue(new ResponseHead(199).isInformational());
        assertTrue(!new ResponseHead(200).isInformational());
    }

    /** RFC 9292 §3.4: control data follows the rules for the HTTP/2 pseudo-header fields it replaces. */
    @Test
    void requestControlData() {
        assertThrows(IllegalArgumentException.class, () -> new RequestHead("", "https", "", "/"));
        assertThrows(IllegalArgumentException.class, () -> new RequestHead("G T", "https", "", "/"));
        assertThrows(IllegalArgumentException.class, () -> new RequestHead("GET", "ht tp", "", "/"));
        assertThrows(IllegalArgumentException.class, () -> new RequestHead("GET", "https", "a b", "/"));
        assertThrows(IllegalArgumentException.class, () -> new RequestHead("GET", "https", "", "/\r\n"));
        new RequestHead("CONNECT", "", "example.com:443", "");
        new RequestHead("OPTIONS", "https", "example.com", "*");
    }

    @Test
    void limitsArePositive() {
        assertThrows(IllegalArgumentException.class, () -> new BinaryHttpLimits(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BinaryHttpLimits(1, -1));
    }
}
