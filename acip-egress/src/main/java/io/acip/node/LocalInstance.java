package io.acip.node;

import io.acip.routing.NextHop;
import java.util.Map;

/** A skill instance served on this node: its routing attributes, its proof of ownership, and its handler. */
public record LocalInstance(String instanceId, int priority, int weight, String region, Map<String, String> attributes,
                            SkillIdentity identity, LocalSkill skill) {

    public static LocalInstance of(String instanceId, SkillIdentity identity, LocalSkill skill) {
        return new LocalInstance(instanceId, 0, 1, "", Map.of(), identity, skill);
    }

    NextHop.Local hop() {
        return new NextHop.Local(instanceId, priority, weight, region, attributes);
    }
}
