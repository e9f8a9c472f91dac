import requests

proxies = {"http": "http://127.0.0.1:8080", "https": "http://127.0.0.1:8080"}
r = requests.post("https://echo.demo.acip/from-requests", json={"hello": "acip"}, proxies=proxies,
                  verify="data/demo/ca/ca.pem")
print(r.headers["acip-trajectory"], r.json())
