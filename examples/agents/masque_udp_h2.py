#!/usr/bin/python3
# A MASQUE client: CONNECT-UDP (RFC 9298) over HTTP/2 extended CONNECT (RFC 8441) through the edge gateway's TLS
# port, to the demo's UDP echo skill. UDP payloads travel as DATAGRAM capsules (RFC 9297) on the stream.
# Needs python3-h2 (Debian: apt-get install python3-h2; run with /usr/bin/python3).
#
#   /usr/bin/python3 examples/agents/masque_udp_h2.py [host:port] [target_host] [target_port] [ca.pem]
import socket
import ssl
import sys

import h2.config
import h2.connection
import h2.events
import h2.settings

proxy = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8443"
target_host = sys.argv[2] if len(sys.argv) > 2 else "udp-echo.demo.acip"
target_port = sys.argv[3] if len(sys.argv) > 3 else "7"
ca = sys.argv[4] if len(sys.argv) > 4 else "data/demo/ca/ca.pem"
host, port = proxy.rsplit(":", 1)


def varint(v):
    if v < 0x40:
        return bytes([v])
    if v < 0x4000:
        return (v | 0x4000).to_bytes(2, "big")
    if v < 0x40000000:
        return (v | 0x80000000).to_bytes(4, "big")
    return (v | 0xC000000000000000).to_bytes(8, "big")


def read_varint(b, i):
    first = b[i]
    n = 1 << (first >> 6)
    if i + n > len(b):
        return None, i
    v = first & 0x3F
    for k in range(1, n):
        v = (v << 8) | b[i + k]
    return v, i + n


def datagram_capsule(payload):
    value = varint(0) + payload  # context ID 0: a UDP payload
    return varint(0x00) + varint(len(value)) + value


context = ssl.create_default_context(cafile=ca)
context.set_alpn_protocols(["h2"])
sock = context.wrap_socket(socket.create_connection((host, int(port)), timeout=10), server_hostname="localhost")
conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
conn.initiate_connection()
sock.sendall(conn.data_to_send())

stream = conn.get_next_available_stream_id()
path = "/.well-known/masque/udp/%s/%s/" % (target_host, target_port)
conn.send_headers(stream, [(":method", "CONNECT"), (":protocol", "connect-udp"), (":scheme", "https"),
                           (":authority", proxy), (":path", path), ("capsule-protocol", "?1")])
conn.send_data(stream, datagram_capsule(b"hello over MASQUE"))  # may go before the 200: the gateway holds it
sock.sendall(conn.data_to_send())

buffered = b""
while True:
    data = sock.recv(65536)
    if not data:
        sys.exit("connection closed")
    for event in conn.receive_data(data):
        if isinstance(event, h2.events.ResponseReceived):
            print("response:", dict(event.headers))
        elif isinstance(event, h2.events.DataReceived):
            conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            buffered += event.data
            ctype, i = read_varint(buffered, 0)
            length, j = read_varint(buffered, i) if ctype is not None else (None, 0)
            if length is not None and len(buffered) >= j + length:
                _, k = read_varint(buffered, j)  # context ID
                print("echo:", buffered[k:j + length].decode())
                conn.close_connection()
                sock.sendall(conn.data_to_send())
                sys.exit(0)
        elif isinstance(event, h2.events.StreamReset):
            sys.exit("stream reset: %s" % event.error_code)
    sock.sendall(conn.data_to_send())
