package io.acip.routing;

import java.util.Map;

/**
 * Where a route can send a session: a neighbour node over its link, or a skill instance delivered on this node.
 * Region and attributes describe the instance(s) reachable through the hop and are what policy TLVs select on
 * (CATS service vs instance, refs/003; LISP priority and weight per locator, refs/004).
 */
public sealed interface NextHop {
    /** Lower is preferred; hops of equal priority share load by weight. */
    int priority();

    int weight();

    /** Region of what lies behind the hop; empty when unknown (then a region policy excludes it). */
    String region();

    Map<String, String> attributes();

    /** A stable name for metrics, logs, breakers and affinity hashing. */
    String id();

    /**
     * Within one priority, 0 for the hops the announced metrics currently favour (CATS, docs/acip-v0.md §12.4), 1 for
     * the rest. New sessions without an affinity key try tier 0 first; keyed ones ignore it, so that metrics never
     * move a key off an instance that is still eligible.
     */
    default int tier() {
        return 0;
    }

    /** @param tier see {@link NextHop#tier()}; static routes are 0 */
    record Neighbour(String nodeId, int priority, int weight, String region, Map<String, String> attributes, int tier)
            implements NextHop {
        public Neighbour {
            attributes = Map.copyOf(attributes);
        }

        public Neighbour(String nodeId, int priority, int weight, String region, Map<String, String> attributes) {
            this(nodeId, priority, weight, region, attributes, 0);
        }

        @Override
        public String id() {
            return "node:" + nodeId;
        }
    }

    record Local(String instanceId, int priority, int weight, String region, Map<String, String> attributes)
            implements NextHop {
        public Local {
            attributes = Map.copyOf(attributes);
        }

        @Override
        public String id() {
            return "local:" + instanceId;
        }
    }
}
