// The official MCP TypeScript SDK against the demo MCP server through the gateway: initialize, tools/list,
// tools/call, session termination, for `sessions` sessions in turn (the test serves the skill from two instances).
// Usage: node mcp-client.mjs '{"gateway":"http://127.0.0.1:8080","proxy":"...","ca":"ca.pem","sessions":8}'
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { forms, fetchVia, run } from "./dispatchers.mjs";

const args = JSON.parse(process.argv[2]);

run("mcp", async () => {
  const all = forms(args, "mcp.demo.acip", "/skills/demo/mcp");
  const ids = [];
  for (let i = 0; i < args.sessions; i++) {
    const names = Object.keys(all);
    const form = names[i % names.length];
    const { base, dispatcher } = all[form];
    const transport = new StreamableHTTPClientTransport(new URL(base), { fetch: fetchVia(dispatcher) });
    const client = new Client({ name: "acip-sdk-test", version: "1.0.0" });
    await client.connect(transport);
    assert.ok(transport.sessionId, `${form}: a session was opened`);
    ids.push(transport.sessionId);
    const tools = await client.listTools();
    assert.deepEqual(tools.tools.map((t) => t.name), ["echo"], `${form}: tools/list`);
    for (let j = 0; j < 3; j++) {
      const result = await client.callTool({ name: "echo", arguments: { text: `s${i} c${j}` } });
      assert.equal(result.content?.[0]?.text, `s${i} c${j}`, `${form}: tools/call ${JSON.stringify(result)}`);
    }
    await transport.terminateSession();
    await client.close();
  }
  return { sessions: ids.length };
});
