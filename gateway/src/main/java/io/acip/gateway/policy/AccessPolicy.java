package io.acip.gateway.policy;

import io.acip.wire.SkillName;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The authorize-and-limit stage (DESIGN §7): the first {@code policy} rule that covers the destination decides who may
 * call it, and counts the call against the caller's limits. When authentication is configured, a destination no rule
 * covers is denied; without it, such a destination is open (as before there was a policy). Limits count per
 * identity; anonymous callers are counted per client address.
 */
public final class AccessPolicy {
    public sealed interface Decision {
    }

    /**
     * Admitted under {@code rule} (null when no rule covers the destination and unmatched ones are open); {@code
     * release} ends what was counted in flight and must run once the exchange or flow ends.
     */
    public record Granted(AccessRule rule, Runnable release) implements Decision {
        public boolean passAuthorization() {
            return rule != null && rule.passAuthorization();
        }
    }

    /** The caller may not call the destination. */
    public record Denied(String detail) implements Decision {
    }

    /** The caller is over a limit; {@code retryAfterSeconds} for {@code Retry-After}. */
    public record Limited(String detail, long retryAfterSeconds) implements Decision {
    }

    private static final Granted OPEN = new Granted(null, UsageLimits.NOTHING);

    private final List<AccessRule> rules;
    private final boolean denyUnmatched;
    private final UsageLimits limits = new UsageLimits();

    public AccessPolicy(List<AccessRule> rules, boolean denyUnmatched) {
        this.rules = List.copyOf(rules);
        this.denyUnmatched = denyUnmatched;
    }

    /** A policy with no rules that admits everything: no {@code auth}, no {@code policy}. */
    public static AccessPolicy open() {
        return new AccessPolicy(List.of(), false);
    }

    /**
     * Whether {@code caller} may reach {@code skill} (empty: a destination that is not a skill, i.e. direct egress),
     * counting it against the caller's limits when it may and {@code count} (an intercepted CONNECT is not counted:
     * each request inside it is).
     */
    public Decision decide(Principal caller, Optional<SkillName> skill, InetAddress from, boolean count) {
        AccessRule rule = null;
        for (AccessRule r : rules) {
            if (r.covers(skill)) {
                rule = r;
                break;
            }
        }
        if (rule == null) {
            return denyUnmatched ? new Denied("no policy rule covers " + what(skill) + ", so it is denied") : OPEN;
        }
        if (!rule.allow().allows(caller)) {
            // Who the rule does allow is not told: a caller could learn privileged identities and groups from it.
            return new Denied(rule.name() + " does not allow " + caller + " to call " + what(skill));
        }
        if (!count) return new Granted(rule, UsageLimits.NOTHING);
        UsageLimits.Outcome o = caller.authenticated() ? limits.acquire(rule, caller.identity(), false)
                : limits.acquire(rule, anonymousKey(from), true);
        if (o instanceof UsageLimits.Exceeded e) {
            return new Limited((e.rate() ? "over the rate of " : "over the concurrency of ") + rule.name() + " for "
                    + caller, e.retryAfterSeconds());
        }
        return new Granted(rule, ((UsageLimits.Granted) o).release());
    }

    /**
     * Who an anonymous caller is, for counting: its IPv4 address, or its IPv6 /64, the block one subscriber holds,
     * so rotating through its own addresses does not buy fresh buckets.
     */
    static String anonymousKey(InetAddress from) {
        if (from == null) return "?";
        byte[] a = from.getAddress();
        if (a.length == 4) return from.getHostAddress();
        return java.util.HexFormat.of().formatHex(a, 0, 8) + "::/64";
    }

    private static String what(Optional<SkillName> skill) {
        return skill.map(s -> "skill " + s.value()).orElse("direct egress");
    }

    /** Whether {@code release} holds nothing, so an exchange need not wait for its end to run it. */
    public static boolean countsNothing(Granted g) {
        return g.release() == UsageLimits.NOTHING;
    }

    /** In flight for {@code caller} under rule {@code index} (tests, admin). */
    int inFlight(int index, String caller) {
        return limits.inFlight(rules.get(index), caller);
    }
}
