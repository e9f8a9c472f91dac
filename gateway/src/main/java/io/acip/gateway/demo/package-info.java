/**
 * Demo agents for examples and end-to-end tests, as Jetty 12 core handlers: {@link io.acip.gateway.demo.EchoAgent}
 * (what arrived, with a SHA-256 of the body), {@link io.acip.gateway.demo.SseAgent} (timed server-sent events),
 * {@link io.acip.gateway.demo.A2aAgent} (A2A JSON-RPC echo) and {@link io.acip.gateway.demo.McpAgent} (MCP
 * Streamable HTTP echo tool), all served by {@link io.acip.gateway.demo.DemoAgents}.
 */
package io.acip.gateway.demo;
