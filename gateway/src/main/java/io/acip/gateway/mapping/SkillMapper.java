package io.acip.gateway.mapping;

import io.acip.wire.SkillName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a request's host and path to a skill (DESIGN §5), trying in order:
 * <ol>
 *   <li>explicit rules: host (and path prefix) to skill, optionally stripping the prefix;</li>
 *   <li>by host: DNS labels before the configured suffix, reversed ({@code echo.demo.acip} is {@code demo/echo});</li>
 *   <li>by path: {@code <prefix><skill>/<rest>} where the longest registered skill wins and {@code /<rest>} is the
 *       path the agent sees ({@code /skills/demo/echo/x?y} is {@code demo/echo} with {@code /x?y}).</li>
 * </ol>
 * Skills register as agents attach, so path mapping follows what is actually served. Registrations are counted: a
 * skill that configuration and an agent both hold stays mapped until the last of them lets it go.
 */
public final class SkillMapper {
    /** An explicit rule. */
    public record Rule(String host, String pathPrefix, SkillName skill, boolean stripPrefix) {
    }

    private final String hostSuffix;
    private final String pathPrefix;
    private volatile List<Rule> rules;
    private final Map<SkillName, Integer> registered = new ConcurrentHashMap<>();

    public SkillMapper(String hostSuffix, String pathPrefix, List<Rule> rules) {
        this.hostSuffix = "." + hostSuffix.toLowerCase(Locale.ROOT);
        this.pathPrefix = pathPrefix;
        this.rules = sorted(rules);
        for (Rule r : rules) register(r.skill());
    }

    private static List<Rule> sorted(List<Rule> rules) {
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt((Rule r) -> -r.pathPrefix().length())); // longest prefix first
        return List.copyOf(sorted);
    }

    /** Replaces the explicit rules (reload): lookups see the old list or the new one, never a mix. */
    public synchronized void replaceRules(List<Rule> next) {
        List<Rule> old = rules;
        for (Rule r : next) register(r.skill());
        rules = sorted(next);
        for (Rule r : old) unregister(r.skill());
    }

    /** Makes a skill known to path mapping, once more. */
    public void register(SkillName skill) {
        registered.merge(skill, 1, Integer::sum);
    }

    /** Lets go of one {@link #register}: the skill stays mapped while any other holds it. */
    public void unregister(SkillName skill) {
        registered.computeIfPresent(skill, (s, holders) -> holders == 1 ? null : holders - 1);
    }

    /** Whether path mapping knows the skill. */
    public boolean isRegistered(SkillName skill) {
        return registered.containsKey(skill);
    }

    /** The skill a host names by itself (rules without a path condition, then the suffix form). */
    public Optional<SkillName> forHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (Rule r : rules) {
            if (r.host().equals(h) && r.pathPrefix().equals("/")) return Optional.of(r.skill());
        }
        if (!h.endsWith(hostSuffix)) return Optional.empty();
        String labels = h.substring(0, h.length() - hostSuffix.length());
        if (labels.isEmpty()) return Optional.empty();
        List<String> parts = new ArrayList<>(List.of(labels.split("\\.", -1)));
        java.util.Collections.reverse(parts);
        String name = String.join("/", parts);
        return SkillName.isValid(name) ? Optional.of(new SkillName(name)) : Optional.empty();
    }

    /** The skill and path for a request, if any mapping applies. {@code path} includes the query. */
    public Optional<SkillTarget> map(String host, String path) {
        String h = host.toLowerCase(Locale.ROOT);
        for (Rule r : rules) {
            if (r.host().equals(h) && pathMatches(path, r.pathPrefix())) {
                String rest = r.stripPrefix() ? strip(path, r.pathPrefix()) : path;
                return Optional.of(new SkillTarget(r.skill(), rest));
            }
        }
        Optional<SkillName> byHost = forHost(h);
        if (byHost.isPresent()) return Optional.of(new SkillTarget(byHost.get(), path));
        if (!path.startsWith(pathPrefix)) return Optional.empty();
        String tail = path.substring(pathPrefix.length());
        int queryAt = firstOf(tail, '?');
        String skillPart = tail.substring(0, queryAt);
        String query = tail.substring(queryAt);
        String candidate = skillPart;
        while (!candidate.isEmpty()) {
            if (SkillName.isValid(candidate) && registered.containsKey(new SkillName(candidate))) {
                String rest = skillPart.substring(candidate.length());
                return Optional.of(new SkillTarget(new SkillName(candidate), (rest.isEmpty() ? "/" : rest) + query));
            }
            int slash = candidate.lastIndexOf('/');
            candidate = slash < 0 ? "" : candidate.substring(0, slash);
        }
        return Optional.empty();
    }

    private static boolean pathMatches(String path, String prefix) {
        if (prefix.equals("/")) return true;
        if (!path.startsWith(prefix)) return false;
        if (prefix.endsWith("/") || path.length() == prefix.length()) return true;
        char next = path.charAt(prefix.length());
        return next == '/' || next == '?';
    }

    private static String strip(String path, String prefix) {
        if (prefix.equals("/")) return path;
        String rest = path.substring(prefix.endsWith("/") ? prefix.length() - 1 : prefix.length());
        return rest.isEmpty() || rest.startsWith("?") ? "/" + rest : rest;
    }

    private static int firstOf(String s, char c) {
        int i = s.indexOf(c);
        return i < 0 ? s.length() : i;
    }
}
