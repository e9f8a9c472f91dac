package io.acip.capsule.masque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.acip.capsule.CodecException;
import io.acip.capsule.fuzz.AllocationBudget;
import io.acip.capsule.proxystatus.StructuredFields;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Capsule-Protocol (RFC 9297 §3.4) under Jazzer. Input: one byte saying how to read the rest as text (ISO-8859-1 or
 * UTF-8), then the field value. Contract: isTrue never throws and says true exactly when the value is the Boolean
 * Item true (parameters ignored); field lines are combined before parsing, so a valid Item sent twice is a List, never
 * true; memory stays within the input's size.
 */
@Timeout(10)
class CapsuleProtocolHeaderFuzzTest {
    @FuzzTest
    void isTrue(byte[] input) throws Exception {
        if (input.length == 0) return;
        String value = new String(input, 1, input.length - 1,
                (input[0] & 1) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        boolean[] said = new boolean[3];
        AllocationBudget.check(input, AllocationBudget.of(input, 256, 0), () -> {
            said[0] = CapsuleProtocolHeader.isTrue(value);
            said[1] = CapsuleProtocolHeader.isTrue(List.of(value));
            said[2] = CapsuleProtocolHeader.isTrue(List.of(value, value));
        });
        boolean item;
        try {
            item = Boolean.TRUE.equals(StructuredFields.parseItem(value).value());
        } catch (CodecException refused) {
            item = false;
        }
        assertEquals(item, said[0]);
        assertEquals(said[0], said[1]);
        // Two lines are combined (RFC 9110 §5.3): a value that is an Item alone makes a List sent twice, never true
        // (RFC 9297 §3.4); one that is not may still combine into an Item (an sf-string spanning the ", ").
        assertEquals(CapsuleProtocolHeader.isTrue(value + ", " + value), said[2]);
        if (parses(value)) assertFalse(said[2], "a field sent twice is a List, not an Item (RFC 9297 §3.4)");
    }

    private static boolean parses(String value) {
        try {
            StructuredFields.parseItem(value);
            return true;
        } catch (CodecException refused) {
            return false;
        }
    }
}
