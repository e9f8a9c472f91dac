// An agent runtime in Node: undici's ProxyAgent as the global dispatcher, trusting the fabric CA.
import { readFileSync } from "node:fs";
import { ProxyAgent, setGlobalDispatcher, fetch } from "undici";

setGlobalDispatcher(new ProxyAgent({
  uri: "http://127.0.0.1:8080",
  requestTls: { ca: readFileSync("data/demo/ca/ca.pem") },
}));
const res = await fetch("https://echo.demo.acip/from-undici");
console.log(res.headers.get("acip-trajectory"), await res.json());
