/**
 * The Proxy-Status response field (RFC 9209): {@link io.acip.capsule.proxystatus.ProxyStatus} members, the registered
 * {@link io.acip.capsule.proxystatus.ProxyErrorType}s with their recommended statuses, and the RFC 8941 Structured
 * Field codec ({@link io.acip.capsule.proxystatus.StructuredFields}) both rest on.
 */
package io.acip.capsule.proxystatus;
