// How an agent runtime reaches a skill: each form of README's "Pointing agent runtimes at the gateway", as undici
// dispatchers, and a fetch bound to one of them (what the SDKs take as fetchImpl).
import net from "node:net";
import fs from "node:fs";
import { Agent, ProxyAgent, fetch } from "undici";

/** form -> { base, dispatcher } for skill host `host` (e.g. a2a.demo.acip) or path `skillPath` (/skills/demo/a2a). */
export function forms({ gateway, proxy, ca }, host, skillPath) {
  const gw = new URL(gateway);
  const caPem = fs.readFileSync(ca);
  return {
    // reverse proxy, skill by path
    path: { base: gateway + skillPath, dispatcher: new Agent() },
    // reverse proxy, skill by host: the name resolves to the gateway (as DNS would point it there)
    host: {
      base: `http://${host}`,
      dispatcher: new Agent({
        connect: (opts, callback) => {
          const socket = net.connect({ host: gw.hostname, port: Number(gw.port) });
          socket.once("connect", () => callback(null, socket));
          socket.once("error", (e) => callback(e, null));
        },
      }),
    },
    // HTTP_PROXY as undici does it: CONNECT even for http:// (plaintext inside the tunnel)
    "proxy-tunnel": { base: `http://${host}`, dispatcher: new ProxyAgent({ uri: proxy }) },
    // HTTP_PROXY with absolute-form requests (curl -x, Python's clients)
    "proxy-absolute": { base: `http://${host}`, dispatcher: new ProxyAgent({ uri: proxy, proxyTunnel: false }) },
    // HTTPS_PROXY: TLS intercepted with a leaf minted by the fabric CA
    intercepted: { base: `https://${host}`, dispatcher: new ProxyAgent({ uri: proxy, requestTls: { ca: caPem } }) },
  };
}

export function fetchVia(dispatcher) {
  return (input, init) => fetch(input, { ...init, dispatcher });
}

/** Runs `body`, printing one JSON line per form; exits 1 on the first failure, naming the form and the cause. */
export async function run(name, body) {
  try {
    const out = await body();
    console.log(JSON.stringify({ ok: true, ...out }));
    process.exit(0);
  } catch (e) {
    console.error(`${name} failed: ${e?.stack ?? e}` + (e?.cause ? `\ncause: ${e.cause?.stack ?? e.cause}` : ""));
    process.exit(1);
  }
}
