/**
 * CONNECT-UDP at the gateway (RFC 9298, DESIGN §4): a flow to a skill rides a datagram-mode ACIP session, one UDP
 * payload per DGRAM ({@link io.acip.gateway.udp.SkillFlow}); a flow to anything else goes direct where the egress
 * policy allows ({@link io.acip.gateway.udp.DirectFlow}, names resolved by {@link io.acip.gateway.udp.TargetResolver}
 * first); at the far end a {@code udp} session reaches the agent's registered UDP endpoint
 * ({@link io.acip.gateway.udp.FarDatagrams}). Payloads are never fragmented: too big is dropped and counted.
 */
package io.acip.gateway.udp;
