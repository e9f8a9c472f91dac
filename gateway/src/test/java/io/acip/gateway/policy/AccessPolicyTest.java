package io.acip.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.config.ConfigException;
import io.acip.gateway.config.GatewayConfig;
import io.acip.wire.SkillName;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One test per rule of the authorize stage: first match, deny by default with auth, limits per caller. */
class AccessPolicyTest {
    private static final Principal CI = new Principal("apikey:ci", List.of("ci"), Principal.Method.API_KEY);
    private static final Principal OTHER = new Principal("apikey:other", List.of("other"), Principal.Method.API_KEY);
    private static final InetAddress HERE = InetAddress.getLoopbackAddress();

    private static GatewayConfig.PolicyRule rule(List<String> skills, List<String> allow, GatewayConfig.Rate rate,
                                                 Integer concurrency) {
        return new GatewayConfig.PolicyRule(skills, false, allow, rate, concurrency, false);
    }

    private static Optional<SkillName> skill(String s) {
        return Optional.of(new SkillName(s));
    }

    @Test
    void theFirstRuleThatCoversDecides() throws Exception {
        AccessPolicy p = PolicyConfig.policy(List.of(
                rule(List.of("bank/payments"), List.of("group:ci"), null, null),
                rule(List.of("bank"), List.of("authenticated"), null, null)), true);
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(CI, skill("bank/payments/authorize"), HERE, true));
        AccessPolicy.Denied d = assertInstanceOf(AccessPolicy.Denied.class,
                p.decide(OTHER, skill("bank/payments"), HERE, true));
        assertTrue(d.detail().contains("policy[0]"), d.detail());
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(OTHER, skill("bank/loans"), HERE, true));
        assertInstanceOf(AccessPolicy.Denied.class, p.decide(Principal.ANONYMOUS, skill("bank/loans"), HERE, true));
    }

    @Test
    void prefixesMatchWholeSegmentsAndStarMatchesEverySkill() throws Exception {
        AccessPolicy p = PolicyConfig.policy(List.of(rule(List.of("bank"), List.of("group:ci"), null, null),
                rule(List.of("*"), List.of("anonymous"), null, null)), true);
        assertInstanceOf(AccessPolicy.Denied.class, p.decide(OTHER, skill("bank/x"), HERE, true));
        // "bankrupt" is not under "bank": the catch-all rule decides.
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(Principal.ANONYMOUS, skill("bankrupt"), HERE, true));
    }

    @Test
    void withAuthWhatNoRuleCoversIsDeniedWithoutItIsOpen() throws Exception {
        assertInstanceOf(AccessPolicy.Denied.class, PolicyConfig.policy(List.of(), true)
                .decide(CI, skill("a"), HERE, true));
        assertInstanceOf(AccessPolicy.Denied.class, PolicyConfig.policy(List.of(), true)
                .decide(CI, Optional.empty(), HERE, true));
        assertInstanceOf(AccessPolicy.Granted.class, PolicyConfig.policy(List.of(), false)
                .decide(Principal.ANONYMOUS, skill("a"), HERE, true));
    }

    @Test
    void directEgressIsCoveredOnlyByDirectRules() throws Exception {
        AccessPolicy p = PolicyConfig.policy(List.of(rule(List.of("*"), List.of("authenticated"), null, null),
                new GatewayConfig.PolicyRule(null, true, List.of("group:ci"), null, null, false)), true);
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(CI, Optional.empty(), HERE, true));
        assertInstanceOf(AccessPolicy.Denied.class, p.decide(OTHER, Optional.empty(), HERE, true));
    }

    @Test
    void theRateIsATokenBucketPerCallerWithRetryAfter() throws Exception {
        AccessPolicy p = PolicyConfig.policy(List.of(rule(List.of("a"), List.of("authenticated", "anonymous"),
                new GatewayConfig.Rate(0.01, 2), null)), true);
        for (int i = 0; i < 2; i++) assertInstanceOf(AccessPolicy.Granted.class, p.decide(CI, skill("a"), HERE, true));
        AccessPolicy.Limited l = assertInstanceOf(AccessPolicy.Limited.class, p.decide(CI, skill("a"), HERE, true));
        assertTrue(l.retryAfterSeconds() > 1 && l.retryAfterSeconds() <= 100, "Retry-After " + l.retryAfterSeconds());
        // Another caller has its own bucket; anonymous callers are counted per address.
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(OTHER, skill("a"), HERE, true));
        InetAddress elsewhere = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 2; i++) p.decide(Principal.ANONYMOUS, skill("a"), HERE, true);
        assertInstanceOf(AccessPolicy.Limited.class, p.decide(Principal.ANONYMOUS, skill("a"), HERE, true));
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(Principal.ANONYMOUS, skill("a"), elsewhere, true));
        // Not counting (an intercepted CONNECT) takes no token.
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(CI, skill("a"), HERE, false));
    }

    @Test
    void anonymousIpv6CallersAreCountedPerSlash64() throws Exception {
        AccessPolicy p = PolicyConfig.policy(List.of(rule(List.of("a"), List.of("anonymous"),
                new GatewayConfig.Rate(0.01, 1), null)), true);
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(Principal.ANONYMOUS, skill("a"),
                InetAddress.getByName("2001:db8:1:2::1"), true));
        // Another address of the same /64 shares the bucket; another /64 has its own.
        assertInstanceOf(AccessPolicy.Limited.class, p.decide(Principal.ANONYMOUS, skill("a"),
                InetAddress.getByName("2001:db8:1:2:ffff::9"), true));
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(Principal.ANONYMOUS, skill("a"),
                InetAddress.getByName("2001:db8:1:3::1"), true));
        assertEquals("20010db800010002::/64", AccessPolicy.anonymousKey(InetAddress.getByName("2001:db8:1:2::7")));
    }

    @Test
    void aDenialDoesNotTellWhoTheRuleAllows() throws Exception {
        AccessPolicy p = PolicyConfig.policy(List.of(rule(List.of("a"), List.of("identity:apikey:root",
                "group:admins"), null, null)), true);
        AccessPolicy.Denied d = (AccessPolicy.Denied) p.decide(OTHER, skill("a"), HERE, true);
        assertTrue(!d.detail().contains("root") && !d.detail().contains("admins"), d.detail());
    }

    @Test
    void concurrencyCountsWhatIsInFlightUntilReleased() throws Exception {
        AccessPolicy p = PolicyConfig.policy(List.of(rule(List.of("a"), List.of("authenticated"), null, 2)), true);
        AccessPolicy.Granted one = (AccessPolicy.Granted) p.decide(CI, skill("a"), HERE, true);
        AccessPolicy.Granted two = (AccessPolicy.Granted) p.decide(CI, skill("a"), HERE, true);
        assertInstanceOf(AccessPolicy.Limited.class, p.decide(CI, skill("a"), HERE, true));
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(OTHER, skill("a"), HERE, true));
        one.release().run();
        one.release().run(); // idempotent: a second release frees nothing more
        assertEquals(1, p.inFlight(0, "apikey:ci"));
        AccessPolicy.Granted three = (AccessPolicy.Granted) p.decide(CI, skill("a"), HERE, true);
        assertInstanceOf(AccessPolicy.Limited.class, p.decide(CI, skill("a"), HERE, true));
        two.release().run();
        three.release().run();
        assertEquals(0, p.inFlight(0, "apikey:ci"));
    }

    @Test
    void aRateRefusalGivesBackTheConcurrencySlot() throws Exception {
        AccessPolicy p = PolicyConfig.policy(List.of(rule(List.of("a"), List.of("authenticated"),
                new GatewayConfig.Rate(0.01, 1), 5)), true);
        ((AccessPolicy.Granted) p.decide(CI, skill("a"), HERE, true)).release().run();
        assertInstanceOf(AccessPolicy.Limited.class, p.decide(CI, skill("a"), HERE, true));
        assertEquals(0, p.inFlight(0, "apikey:ci"));
    }

    @Test
    void withoutAuthRulesStillLimitAndWhatTheyDoNotCoverIsOpen() throws Exception {
        AccessPolicy p = PolicyConfig.policy(List.of(rule(List.of("a"), List.of("anonymous"),
                new GatewayConfig.Rate(0.01, 1), null)), false);
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(Principal.ANONYMOUS, skill("a"), HERE, true));
        assertInstanceOf(AccessPolicy.Limited.class, p.decide(Principal.ANONYMOUS, skill("a"), HERE, true));
        assertInstanceOf(AccessPolicy.Granted.class, p.decide(Principal.ANONYMOUS, skill("b"), HERE, true));
    }

    @Test
    void badRulesAreRefusedWithTheirPath() {
        assertConfig("policy[0].skills", rule(List.of(), List.of("anonymous"), null, null));
        assertConfig("policy[0].skills[1]", rule(List.of("a", "Not A Skill"), List.of("anonymous"), null, null));
        assertConfig("policy[0].allow", rule(List.of("a"), List.of("everyone"), null, null));
        assertConfig("policy[0].rate.per_second", rule(List.of("a"), List.of(), new GatewayConfig.Rate(0.0, 1), null));
        assertConfig("policy[0].rate.burst", rule(List.of("a"), List.of(), new GatewayConfig.Rate(1.0, 0), null));
        assertConfig("policy[0].concurrency", rule(List.of("a"), List.of(), null, 0));
    }

    private static void assertConfig(String expected, GatewayConfig.PolicyRule r) {
        ConfigException e = assertThrows(ConfigException.class, () -> PolicyConfig.policy(List.of(r), true));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
