# An agent runtime in Python reaching skills through the edge gateway: only the proxy and the CA change.
# Works with Debian's httpx 0.23 (proxies=) and current httpx (proxy=, since 0.26; proxies= is gone in 0.28).
# GATEWAY and CA default to the demo's; both http:// (forward proxy) and https:// (intercepted) skill URLs.
import inspect
import os

import httpx

gateway = os.environ.get("GATEWAY", "http://127.0.0.1:8080")
ca = os.environ.get("CA", "data/demo/ca/ca.pem")
proxy = {"proxy": gateway} if "proxy" in inspect.signature(httpx.Client).parameters else {"proxies": gateway}

with httpx.Client(verify=ca, **proxy) as client:
    print(client.get("https://echo.demo.acip/from-httpx").json())
    print(client.get("http://echo.demo.acip/from-httpx-plain").json())
    with client.stream("GET", "http://sse.demo.acip/?n=3&interval_ms=200") as events:
        for line in events.iter_lines():
            print(line)
