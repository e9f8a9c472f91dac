// The official A2A JavaScript SDK (A2A 1.0 with 0.3 compatibility) against the demo A2A agent through the gateway:
// discovery by every form (agent-card.json and the older agent.json), then message/send, message/stream (SSE),
// tasks/get and tasks/cancel, each through the URL the rewritten card gave.
// Usage: node a2a-client.mjs '{"gateway":"http://127.0.0.1:8080","proxy":"http://127.0.0.1:8080","ca":"ca.pem"}'
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory, RestTransportFactory } from "@a2a-js/sdk/client";
import { forms, fetchVia, run } from "./dispatchers.mjs";

const args = JSON.parse(process.argv[2]);
const legacyCompat = { enabled: true }; // the demo agent speaks A2A 0.3

function factory(fetchImpl) {
  return new ClientFactory({
    transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat }), new RestTransportFactory({ fetchImpl, legacyCompat })],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl, legacyCompat }),
  });
}

function userMessage(text) {
  return { message: { messageId: randomUUID(), role: 1, parts: [{ content: { $case: "text", value: text } }] } };
}

function textOf(message) {
  return (message?.parts ?? []).map((p) => p.content?.value ?? p.text ?? "").join("");
}

run("a2a", async () => {
  const seen = {};
  for (const [form, { base, dispatcher }] of Object.entries(forms(args, "a2a.demo.acip", "/skills/demo/a2a"))) {
    const fetchImpl = fetchVia(dispatcher);
    // As the SDK resolves them: a relative card path against the agent's base URL, which ends with a slash.
    for (const path of [".well-known/agent-card.json", ".well-known/agent.json"]) {
      const client = await factory(fetchImpl).createFromUrl(base + "/", path);
      const card = await client.getAgentCard();
      const urls = card.supportedInterfaces.map((i) => i.url);
      assert.ok(urls.length > 0 && urls.every((u) => u === base), `${form} ${path}: card URLs ${urls} != ${base}`);
      const text = `hello ${form} ${path}`;
      const reply = await client.sendMessage(userMessage(text));
      const message = reply.payload?.value ?? reply.message ?? reply;
      assert.equal(textOf(message), text, `${form}: sendMessage echo: ${JSON.stringify(reply)}`);
      seen[`${form} ${path}`] = urls[0];
    }
    const client = await factory(fetchImpl).createFromUrl(base + "/");
    const events = [];
    let taskId;
    for await (const event of client.sendMessageStream(userMessage(`stream ${form}`))) {
      events.push(event.payload?.$case ?? Object.keys(event)[0]);
      taskId ??= event.payload?.value?.id ?? event.payload?.value?.taskId;
    }
    assert.ok(events.length >= 3, `${form}: stream events ${events}`);
    const task = await client.getTask({ id: taskId, historyLength: 10 });
    assert.equal(task.id, taskId, `${form}: getTask`);
    assert.match(String(task.status?.state), /COMPLETED|completed|3/, `${form}: state ${task.status?.state}`);
    await assert.rejects(client.cancelTask({ id: taskId }), (e) => /cancel/i.test(String(e?.message ?? e)),
      `${form}: cancelTask of a completed task`);
    seen[`${form} stream`] = events.join(",");
  }
  return { seen };
});
