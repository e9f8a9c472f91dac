/**
 * Delivery to HTTP origins: {@link io.acip.gateway.origin.OriginForwarder} streams an
 * {@link io.acip.ingress.Exchange} to an origin described by an {@link io.acip.gateway.origin.OriginConfig} and its
 * response back, with backpressure both ways and RFC 9209 answers for what goes wrong on the way.
 */
package io.acip.gateway.origin;
