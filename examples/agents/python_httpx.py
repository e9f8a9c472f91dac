# An agent runtime in Python reaching a skill through the edge gateway: only the proxy and the CA change.
import httpx

with httpx.Client(proxy="http://127.0.0.1:8080", verify="data/demo/ca/ca.pem") as client:
    print(client.get("https://echo.demo.acip/from-httpx").json())
    with client.stream("GET", "http://sse.demo.acip/?n=3&interval_ms=200") as events:
        for line in events.iter_lines():
            print(line)
