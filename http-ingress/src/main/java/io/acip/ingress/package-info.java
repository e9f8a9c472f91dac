/**
 * The protocol-neutral face of the listeners: every accepted HTTP request becomes an {@link io.acip.ingress.Exchange}
 * and every CONNECT a {@link io.acip.ingress.TunnelDecision}, whatever HTTP version carried it. Nothing here knows
 * about ACIP.
 */
package io.acip.ingress;
