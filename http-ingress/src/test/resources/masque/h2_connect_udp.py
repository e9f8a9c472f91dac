"""CONNECT-UDP over HTTP/2 extended CONNECT (RFC 9298 §3.4, RFC 8441) with python-h2, an independent peer.

Usage: h2_connect_udp.py HOST PORT (tls CAFILE | cleartext) (default | resend) AUTHORITY PATH

python-h2 sends SETTINGS_ENABLE_CONNECT_PROTOCOL=0 in its first SETTINGS (it says what it accepts itself); with
"resend" it sends 0 once more right before the request. Either way the gateway must serve the extended CONNECT.
Sends DATAGRAM capsules (one split over two DATA frames, after an unknown capsule) and expects each echoed, then
ends the stream and expects the gateway to end it too. Prints OK and exits 0 on success, else says why and exits 1.
"""
import socket
import ssl
import sys

import h2.config
import h2.connection
import h2.events
import h2.settings


def varint(v):
    if v < 1 << 6:
        return bytes([v])
    if v < 1 << 14:
        return (v | 0x4000).to_bytes(2, "big")
    if v < 1 << 30:
        return (v | 0x80000000).to_bytes(4, "big")
    return (v | 0xC000000000000000).to_bytes(8, "big")


def read_varint(buf, pos):
    if pos >= len(buf):
        return None, pos
    length = 1 << (buf[pos] >> 6)
    if pos + length > len(buf):
        return None, pos
    v = buf[pos] & 0x3F
    for b in buf[pos + 1:pos + length]:
        v = (v << 8) | b
    return v, pos + length


def capsule(ctype, value):
    return varint(ctype) + varint(len(value)) + value


def datagram(payload):
    return capsule(0x00, varint(0) + payload)


class Peer:
    def __init__(self, sock):
        self.sock = sock
        self.conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
        self.events = []

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def next_event(self):
        while not self.events:
            data = self.sock.recv(65536)
            if not data:
                raise RuntimeError("connection closed by the gateway")
            self.events.extend(self.conn.receive_data(data))
            self.flush()
        return self.events.pop(0)


def fail(why):
    print("FAIL: " + why)
    sys.exit(1)


def main():
    host, port, mode, rest = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    if mode == "tls":
        cafile, rest = rest[0], rest[1:]
    settings_mode, authority, path = rest
    sock = socket.create_connection((host, port), timeout=15)
    if mode == "tls":
        ctx = ssl.create_default_context(cafile=cafile)
        ctx.set_alpn_protocols(["h2"])
        sock = ctx.wrap_socket(sock, server_hostname="localhost")
        if sock.selected_alpn_protocol() != "h2":
            fail("ALPN did not select h2")
    peer = Peer(sock)
    conn = peer.conn
    conn.initiate_connection()  # its SETTINGS carry ENABLE_CONNECT_PROTOCOL = 0
    peer.flush()

    enabled = False
    while not enabled:
        event = peer.next_event()
        if isinstance(event, h2.events.RemoteSettingsChanged):
            setting = event.changed_settings.get(h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL)
            enabled = setting is not None and setting.new_value == 1
            if not enabled:
                fail("the gateway did not advertise SETTINGS_ENABLE_CONNECT_PROTOCOL = 1")
    if settings_mode == "resend":
        conn.update_settings({h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL: 0})
        peer.flush()
        while not isinstance(peer.next_event(), h2.events.SettingsAcknowledged):
            pass

    scheme = "https" if mode == "tls" else "http"
    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, [(":method", "CONNECT"), (":protocol", "connect-udp"), (":scheme", scheme),
                               (":authority", authority), (":path", path), ("capsule-protocol", "?1")])
    peer.flush()

    while True:
        event = peer.next_event()
        if isinstance(event, h2.events.StreamReset):
            fail("stream reset with error %d" % event.error_code)
        if isinstance(event, h2.events.ResponseReceived):
            headers = {k.decode() if isinstance(k, bytes) else k: v.decode() if isinstance(v, bytes) else v
                       for k, v in event.headers}
            if headers.get(":status") != "200":
                fail("status %s" % headers.get(":status"))
            if headers.get("capsule-protocol") != "?1":
                fail("no capsule-protocol: ?1 in %s" % headers)
            if "content-length" in headers:
                fail("a 2xx to extended CONNECT carries content-length")
            break

    payloads = [b"python-h2 says hello", bytes(range(256)) * 4]
    conn.send_data(stream, capsule(0x4242, b"an unknown capsule, skipped"))
    first = datagram(payloads[0])
    conn.send_data(stream, first[:3])  # one capsule over two DATA frames
    conn.send_data(stream, first[3:])
    conn.send_data(stream, datagram(payloads[1]))
    peer.flush()

    received, buf = [], b""
    while len(received) < len(payloads):
        event = peer.next_event()
        if isinstance(event, h2.events.DataReceived):
            conn.acknowledge_received_data(event.flow_controlled_length, stream)
            peer.flush()
            buf += event.data
            while True:
                ctype, pos = read_varint(buf, 0)
                length, pos = read_varint(buf, pos) if ctype is not None else (None, pos)
                if length is None or pos + length > len(buf):
                    break
                value, buf = buf[pos:pos + length], buf[pos + length:]
                if ctype == 0:
                    context, at = read_varint(value, 0)
                    if context == 0:
                        received.append(value[at:])
        elif isinstance(event, (h2.events.StreamReset, h2.events.StreamEnded)):
            fail("the flow ended before the echoes came: %s" % event)
    if received != payloads:
        fail("echoed %r" % received)

    conn.end_stream(stream)
    peer.flush()
    while not isinstance(peer.next_event(), h2.events.StreamEnded):
        pass
    conn.close_connection()
    peer.flush()
    sock.close()
    print("OK")


if __name__ == "__main__":
    main()
