// An agent runtime in Node: undici's ProxyAgent as the global dispatcher, trusting the fabric CA (npm install undici).
// undici tunnels http:// URLs through CONNECT as well; the gateway serves plaintext HTTP inside such a tunnel.
import { readFileSync } from "node:fs";
import { ProxyAgent, setGlobalDispatcher, fetch } from "undici";

setGlobalDispatcher(new ProxyAgent({
  uri: process.env.GATEWAY ?? "http://127.0.0.1:8080",
  requestTls: { ca: readFileSync(process.env.CA ?? "data/demo/ca/ca.pem") },
}));
for (const url of ["https://echo.demo.acip/from-undici", "http://echo.demo.acip/from-undici-plain"]) {
  const res = await fetch(url);
  console.log(res.headers.get("acip-trajectory"), await res.json());
}
