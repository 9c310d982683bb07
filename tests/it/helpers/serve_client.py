#!/usr/bin/env python3
"""Small socket client for the `pollscope serve` integration tests (127.0.0.1 only).

  exchange PORT DATA        send DATA (Python escapes, e.g. 'PING\\r\\n'), read until the
                            server closes or 3 s pass; prints the reply (escaped) and then
                            'closed' or 'open'
  send-big PORT PREFIX N    send PREFIX then N bytes of 'a' (stops if the server closes),
                            then read like exchange
  many PORT N PAYLOAD EXPECT open N connections, hold them, then send PAYLOAD on each and
                            count replies equal to EXPECT; prints 'served=K opened=N'
  fdlimit PORT N            open N connections at once against a server under a low fd
                            limit; prints counts of served (+PONG), refused (-ERR ...) and
                            other, then closes them and checks 10 new connections are served
  quiet PORT SECONDS        open a connection (prints "connected"), send nothing, report when the
                            server closed it
"""
import json
import selectors
import socket
import sys
import time


def connect(port, timeout=5.0):
    s = socket.create_connection(("127.0.0.1", int(port)), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_until_close(s, seconds=3.0):
    data = b""
    deadline = time.time() + seconds
    s.settimeout(0.2)
    while time.time() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return data, "reset"
        if not chunk:
            return data, "closed"
        data += chunk
    return data, "open"


def show(data, state):
    print(data.decode("latin-1").encode("unicode_escape").decode())
    print(state)


def exchange(port, payload):
    s = connect(port)
    s.sendall(payload.encode("latin-1").decode("unicode_escape").encode("latin-1"))
    show(*read_until_close(s))


def send_big(port, prefix, n):
    s = connect(port)
    s.sendall(prefix.encode("latin-1").decode("unicode_escape").encode("latin-1"))
    chunk = b"a" * 65536
    sent = 0
    try:
        while sent < n:
            sent += s.send(chunk[: min(len(chunk), n - sent)])
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass
    show(*read_until_close(s))


def drive(socks, payload, expect, seconds=60.0):
    """Sends payload on every socket, returns how many answered exactly expect."""
    sel = selectors.DefaultSelector()
    bufs = {}
    for s in socks:
        s.setblocking(False)
        try:
            s.send(payload)
        except OSError:
            continue
        sel.register(s, selectors.EVENT_READ)
        bufs[s] = b""
    served = 0
    deadline = time.time() + seconds
    pending = len(bufs)
    while pending and time.time() < deadline:
        for key, _ in sel.select(timeout=0.5):
            s = key.fileobj
            try:
                chunk = s.recv(4096)
            except OSError:
                chunk = b""
            bufs[s] += chunk
            if not chunk or len(bufs[s]) >= len(expect):
                sel.unregister(s)
                pending -= 1
                if bufs[s] == expect:
                    served += 1
    return served, bufs


def many(port, n, payload, expect):
    payload = payload.encode().decode("unicode_escape").encode("latin-1")
    expect = expect.encode().decode("unicode_escape").encode("latin-1")
    socks = []
    for _ in range(int(n)):
        try:
            socks.append(connect(port))
        except OSError as e:
            print("connect failed after %d: %s" % (len(socks), e), file=sys.stderr)
            break
    time.sleep(0.5)  # all idle at once
    served, _ = drive(socks, payload, expect)
    print("served=%d opened=%d" % (served, len(socks)))


def fdlimit(port, n):
    socks = []
    for _ in range(int(n)):
        socks.append(connect(port))
    time.sleep(1.0)
    served, bufs = drive(socks, b"PING\r\n", b"+PONG\r\n", seconds=10)
    refused = sum(1 for b in bufs.values() if b.startswith(b"-ERR server out of file descriptors"))
    for s in socks:
        s.close()
    # Connections the server had not accepted yet drain first (it may still be at
    # its limit for a moment): a few rounds, the last one counts.
    recovered = 0
    for _ in range(5):
        time.sleep(0.5)
        again = [connect(port) for _ in range(10)]
        recovered, _ = drive(again, b"PING\r\n", b"+PONG\r\n", seconds=10)
        for s in again:
            s.close()
        if recovered == 10:
            break
    print(json.dumps({"opened": len(socks), "served": served, "refused": refused, "recovered": recovered}))


def quiet(port, seconds):
    s = connect(port)
    print("connected", flush=True)  # a test may wait for this before stopping the server
    t0 = time.time()
    data, state = read_until_close(s, float(seconds))
    print("%s after %.1f s" % (state, time.time() - t0))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"exchange": exchange, "send-big": lambda p, pre, n: send_big(p, pre, int(n)), "many": many,
     "fdlimit": fdlimit, "quiet": quiet}[cmd](*args)


if __name__ == "__main__":
    main()
