package io.acip.gateway.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may call, as written in {@code policy[].allow} and {@code agents[].skills[].allow}: each entry is
 * {@code group:<name>}, {@code identity:<uri>}, {@code authenticated} or {@code anonymous}; a principal is allowed
 * when any entry matches it. Parsing refuses anything else with a message naming the entry.
 */
public final class AllowList {
    private sealed interface Entry {
        boolean matches(Principal p);
    }

    private record Group(String name) implements Entry {
        public boolean matches(Principal p) {
            return p.authenticated() && p.groups().contains(name);
        }
    }

    private record Identity(String uri) implements Entry {
        public boolean matches(Principal p) {
            return uri.equals(p.identity());
        }
    }

    private record Authenticated() implements Entry {
        public boolean matches(Principal p) {
            return p.authenticated();
        }
    }

    private record Anonymous() implements Entry {
        public boolean matches(Principal p) {
            return !p.authenticated();
        }
    }

    private final List<Entry> entries;
    private final List<String> written;

    private AllowList(List<Entry> entries, List<String> written) {
        this.entries = entries;
        this.written = written;
    }

    /** @throws IllegalArgumentException naming the first entry that is not one of the four forms */
    public static AllowList parse(List<String> entries) {
        List<Entry> parsed = new ArrayList<>();
        for (String e : entries) {
            if (e == null) throw new IllegalArgumentException("empty entry");
            if (e.equals("authenticated")) {
                parsed.add(new Authenticated());
            } else if (e.equals("anonymous")) {
                parsed.add(new Anonymous());
            } else if (e.startsWith("group:") && e.length() > "group:".length()) {
                parsed.add(new Group(e.substring("group:".length())));
            } else if (e.startsWith("identity:") && e.length() > "identity:".length()) {
                parsed.add(new Identity(e.substring("identity:".length())));
            } else {
                throw new IllegalArgumentException("\"" + e
                        + "\" is not group:<name>, identity:<uri>, authenticated or anonymous");
            }
        }
        return new AllowList(List.copyOf(parsed), List.copyOf(entries));
    }

    public boolean allows(Principal p) {
        for (Entry e : entries) {
            if (e.matches(p)) return true;
        }
        return false;
    }

    /** Whether an anonymous agent could ever match (an {@code anonymous} entry). */
    public boolean admitsAnonymous() {
        return entries.stream().anyMatch(e -> e instanceof Anonymous);
    }

    @Override
    public String toString() {
        return written.toString();
    }
}
