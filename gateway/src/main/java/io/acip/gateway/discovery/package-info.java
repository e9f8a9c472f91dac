/**
 * A2A discovery through the fabric: a skill's Agent Card is answered at its base's well-known paths whichever way an
 * agent reached the skill. The far gateway serves the card from its agent's origin, cached with validators
 * ({@link io.acip.gateway.discovery.AgentCardCache}) and names the agent's base in {@code acip-agent-base}; the edge
 * rewrites every URL under that base to the base the requesting agent used
 * ({@link io.acip.gateway.discovery.AgentCardUrls}, {@link io.acip.gateway.discovery.CardRewritingSink}), so each
 * later call comes through the gateway again.
 */
package io.acip.gateway.discovery;
