package io.acip.capsule.masque;

import io.acip.capsule.CodecException;
import io.acip.capsule.proxystatus.StructuredFields;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Capsule-Protocol} header field (RFC 9297 §3.4): an RFC 8941 Item whose value must be a Boolean.
 * {@code ?1} says the Capsule Protocol is in use on the stream. A false value means the same as no field, and any
 * other value type, or a value that does not parse, MUST be handled as if the field were absent; parameters are
 * ignored (receivers MUST ignore unknown ones). None of these is an error: the field simply does not say true.
 */
public final class CapsuleProtocolHeader {
    /** The field name. */
    public static final String NAME = "Capsule-Protocol";

    /** The value to send (RFC 8941 §4.1.9 serialisation of true). */
    public static final String TRUE = "?1";

    private CapsuleProtocolHeader() {
    }

    /** Whether one field value (or several already combined) says true; null means absent. */
    public static boolean isTrue(String fieldValue) {
        if (fieldValue == null) return false;
        try {
            return Boolean.TRUE.equals(StructuredFields.parseItem(fieldValue).value());
        } catch (CodecException e) {
            return false;
        }
    }

    /**
     * Whether the field lines of a message say true. They are combined first (RFC 8941 §4.2, RFC 9110 §5.3), so a
     * field sent twice becomes a List, which is not an Item, and is ignored as RFC 9297 §3.4 says.
     */
    public static boolean isTrue(List<String> fieldLines) {
        List<String> present = new ArrayList<>();
        for (String line : fieldLines) {
            if (line != null) present.add(line);
        }
        return !present.isEmpty() && isTrue(String.join(", ", present));
    }
}
