package io.acip.gateway.policy;

import io.acip.wire.SkillName;
import java.util.List;
import java.util.Optional;

/**
 * One {@code policy[]} entry: what it covers (skill prefixes, {@code *} for every skill, and direct egress when
 * {@code direct}), who may call ({@link AllowList}), and each caller's limits.
 *
 * @param index the rule's position in {@code policy}, for details and counters ({@code policy[2]})
 * @param rate the token bucket each caller gets, or null for no rate limit
 * @param concurrency exchanges and flows each caller may have in flight at once, 0 for no limit
 * @param passAuthorization forward the agent's {@code Authorization} field even when the gateway consumed it
 */
public record AccessRule(int index, List<SkillName> skills, boolean everySkill, boolean direct, AllowList allow,
                         Rate rate, int concurrency, boolean passAuthorization) {
    /** {@code burst} at once, refilled at {@code perSecond}. */
    public record Rate(double perSecond, long burst) {
    }

    public AccessRule {
        skills = List.copyOf(skills);
    }

    /** Whether this rule covers a request for {@code skill} (empty: a direct, non-skill destination). */
    public boolean covers(Optional<SkillName> skill) {
        if (skill.isEmpty()) return direct;
        return everySkill || skills.stream().anyMatch(skill.get()::isUnder);
    }

    public String name() {
        return "policy[" + index + "]";
    }
}
