package io.acip.gateway.policy;

import io.acip.gateway.config.ConfigException;
import io.acip.gateway.config.GatewayConfig;
import io.acip.wire.SkillName;
import java.util.ArrayList;
import java.util.List;

/** Builds the authorize stage from {@code policy}, refusing a bad rule with the path of the offending field. */
public final class PolicyConfig {
    private PolicyConfig() {
    }

    /** {@code authenticating}: an {@code auth} section exists, so what no rule covers is denied. */
    public static AccessPolicy policy(List<GatewayConfig.PolicyRule> configured, boolean authenticating)
            throws ConfigException {
        List<AccessRule> rules = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) rules.add(rule(i, configured.get(i)));
        return rules.isEmpty() && !authenticating ? AccessPolicy.open() : new AccessPolicy(rules, authenticating);
    }

    private static AccessRule rule(int i, GatewayConfig.PolicyRule r) throws ConfigException {
        String at = "policy[" + i + "]";
        if (r.skills().isEmpty() && !r.direct()) {
            throw new ConfigException(at + ".skills: name skill prefixes (or *), or set direct: true");
        }
        boolean every = false;
        List<SkillName> skills = new ArrayList<>();
        for (int j = 0; j < r.skills().size(); j++) {
            String s = r.skills().get(j);
            if ("*".equals(s)) {
                every = true;
            } else if (s == null || !SkillName.isValid(s)) {
                throw new ConfigException(at + ".skills[" + j + "]: '" + s + "' is not a skill prefix or *");
            } else {
                skills.add(new SkillName(s));
            }
        }
        AllowList allow;
        try {
            allow = AllowList.parse(r.allow());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + ".allow: " + e.getMessage());
        }
        AccessRule.Rate rate = null;
        if (r.rate() != null) {
            Double perSecond = r.rate().perSecond();
            if (perSecond == null || !(perSecond > 0) || perSecond > 1e6) {
                throw new ConfigException(at + ".rate.per_second: a number above 0 and at most 1000000");
            }
            long burst = r.rate().burst() == null ? Math.max(1, (long) Math.ceil(perSecond)) : r.rate().burst();
            if (burst < 1 || burst > 1_000_000) throw new ConfigException(at + ".rate.burst: between 1 and 1000000");
            rate = new AccessRule.Rate(perSecond, burst);
        }
        int concurrency = r.concurrency() == null ? 0 : r.concurrency();
        if (concurrency < 0 || (r.concurrency() != null && concurrency == 0)) {
            throw new ConfigException(at + ".concurrency: at least 1 (leave it out for no limit)");
        }
        return new AccessRule(i, skills, every, r.direct(), allow, rate, concurrency, r.passAuthorization());
    }
}
