package io.acip.gateway.mapping;

import io.acip.wire.SkillName;

/**
 * Where a request goes: a skill, and the request target that skill sees.
 *
 * @param path path and query as the skill's agent receives them
 */
public record SkillTarget(SkillName skill, String path) {
}
