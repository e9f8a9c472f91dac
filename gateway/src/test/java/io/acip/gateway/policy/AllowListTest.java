package io.acip.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowListTest {
    private static final Principal CI = new Principal("apikey:ci-bot", List.of("ci"), Principal.Method.API_KEY);
    private static final Principal ALICE = new Principal("https://issuer.example/alice", List.of("payments"),
            Principal.Method.JWT);

    @Test
    void groupMatchesOnlyAuthenticatedMembers() {
        AllowList l = AllowList.parse(List.of("group:ci"));
        assertTrue(l.allows(CI));
        assertFalse(l.allows(ALICE));
        assertFalse(l.allows(Principal.ANONYMOUS));
    }

    @Test
    void identityMatchesExactly() {
        AllowList l = AllowList.parse(List.of("identity:https://issuer.example/alice"));
        assertTrue(l.allows(ALICE));
        assertFalse(l.allows(new Principal("https://issuer.example/alice2", List.of(), Principal.Method.JWT)));
    }

    @Test
    void authenticatedAndAnonymousAreDisjoint() {
        AllowList auth = AllowList.parse(List.of("authenticated"));
        AllowList anon = AllowList.parse(List.of("anonymous"));
        assertTrue(auth.allows(CI));
        assertFalse(auth.allows(Principal.ANONYMOUS));
        assertTrue(anon.allows(Principal.ANONYMOUS));
        assertFalse(anon.allows(CI));
        assertTrue(anon.admitsAnonymous());
        assertFalse(auth.admitsAnonymous());
    }

    @Test
    void emptyListAllowsNobody() {
        assertFalse(AllowList.parse(List.of()).allows(CI));
    }

    @Test
    void malformedEntriesAreRefusedByName() {
        for (String bad : List.of("group:", "identity:", "everyone", "Group:ci", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AllowList.parse(List.of("group:ci", bad)));
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void anonymousPrincipalHasNoIdentity() {
        assertThrows(IllegalArgumentException.class, () -> new Principal("x", List.of(), Principal.Method.ANONYMOUS));
        assertThrows(IllegalArgumentException.class, () -> new Principal(null, List.of(), Principal.Method.JWT));
    }
}
