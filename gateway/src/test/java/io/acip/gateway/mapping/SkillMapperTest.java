package io.acip.gateway.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.wire.SkillName;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SkillMapperTest {
    private static final SkillMapper MAPPER = mapper();

    private static SkillMapper mapper() {
        SkillMapper m = new SkillMapper("acip", "/skills/", List.of(
                new SkillMapper.Rule("api.example.com", "/pay", new SkillName("bank/payments"), true),
                new SkillMapper.Rule("api.example.com", "/", new SkillName("bank/catalog"), false)));
        m.register(new SkillName("demo"));
        m.register(new SkillName("demo/echo"));
        return m;
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(nullValues = "-", value = {
        // explicit rules, longest path prefix first; strip_prefix hands the agent the rest
        "api.example.com, /pay/charge?x=1, bank/payments, /charge?x=1",
        "api.example.com, /pay, bank/payments, /",
        "api.example.com, /payments, bank/catalog, /payments",
        "API.Example.COM, /items, bank/catalog, /items",
        // by host: labels reversed under the suffix
        "echo.demo.acip, /a/b?c, demo/echo, /a/b?c",
        "authorize.payments.bank-a.acip, /, bank-a/payments/authorize, /",
        "ECHO.DEMO.ACIP, /, demo/echo, /",
        "demo.acip, /x, demo, /x",
        // by path: the longest registered skill wins, the rest is the path the agent sees
        "gw.local, /skills/demo/echo/x/y?z=1, demo/echo, /x/y?z=1",
        "gw.local, /skills/demo/echo, demo/echo, /",
        "gw.local, /skills/demo/echo?q, demo/echo, /?q",
        "gw.local, /skills/demo/other/x, demo, /other/x",
        // nothing applies
        "gw.local, /skills/unknown/x, -, -",
        "gw.local, /other, -, -",
        "acip, /, -, -",
        "bad_label!.acip, /, -, -",
    })
    void maps(String host, String path, String skill, String rest) {
        Optional<SkillTarget> t = MAPPER.map(host, path);
        assertEquals(skill == null ? Optional.empty() : Optional.of(new SkillTarget(new SkillName(skill), rest)), t);
    }

    @Test
    void aSkillStaysMappedWhileAnythingHoldsIt() {
        SkillMapper m = new SkillMapper("acip", "/skills/", List.of(
                new SkillMapper.Rule("api.example.com", "/", new SkillName("bank/catalog"), false)));
        SkillName echo = new SkillName("demo/echo");
        m.register(echo); // configuration (http.skills)
        m.register(echo); // an agent
        m.unregister(echo); // the agent leaves
        assertEquals(Optional.of(new SkillTarget(echo, "/x")), m.map("gw.local", "/skills/demo/echo/x"));
        m.unregister(echo);
        assertFalse(m.isRegistered(echo));
        m.register(new SkillName("bank/catalog")); // an agent holds a ruled skill, then leaves: the rule still holds it
        m.unregister(new SkillName("bank/catalog"));
        assertTrue(m.isRegistered(new SkillName("bank/catalog")));
    }
}
