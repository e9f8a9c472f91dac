/**
 * Agent attachment (DESIGN.md §5): an HTTP agent registers itself, its origin URL, optional UDP endpoint and its
 * skills, either with the gateway's own JSON document ({@link io.acip.gateway.attach.RegistrationDocument}) or with
 * an A2A Agent Card ({@link io.acip.gateway.attach.AgentCard}, fetched by
 * {@link io.acip.gateway.attach.AgentCardFetcher}); both yield an {@link io.acip.gateway.attach.AgentRegistration}.
 */
package io.acip.gateway.attach;
