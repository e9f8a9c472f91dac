/**
 * Where run-time registrations outlive a process (DESIGN §10): one {@link io.acip.gateway.registry.AgentRegistry}
 * with a file store under {@code node.data_dir} by default and etcd when edge replicas share registrations;
 * {@link io.acip.gateway.registry.RegistrySync} keeps a node's attachments equal to what the registry holds.
 */
package io.acip.gateway.registry;
