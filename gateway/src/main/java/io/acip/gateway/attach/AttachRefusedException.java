package io.acip.gateway.attach;

import java.util.Map;

/**
 * A run-time attachment or detachment the gateway refuses, carrying the HTTP status to answer with, so the admin
 * listener never re-decides it: {@code 409} for a skill or agent name someone else holds, {@code 403} for an origin
 * outside {@code admin.attach_allowed}, {@code 404} for an agent that is not attached. {@code members} are extra
 * problem-details members that name what was in the way ({@code holder}, {@code address}).
 */
public final class AttachRefusedException extends Exception {
    private final int status;
    private final String type;
    private final Map<String, String> members;

    public AttachRefusedException(int status, String type, String detail, Map<String, String> members) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.members = Map.copyOf(members);
    }

    /** 409: {@code what} is held by {@code holder}. */
    public static AttachRefusedException held(String what, String holder) {
        return new AttachRefusedException(409, "held", what + " is held by " + holder, Map.of("holder", holder));
    }

    public int status() {
        return status;
    }

    /** The last segment of the problem type URI: {@code held}, {@code not-attached}, {@code address-not-allowed}. */
    public String type() {
        return type;
    }

    public Map<String, String> members() {
        return members;
    }
}
