#!/usr/bin/env python3
"""Test helper for bench/top-cpu: N loopback connection pairs (2N tracked
sockets) to a small server of its own on 127.0.0.1, with a little traffic.

Every `--period` seconds it writes a few bytes on `--active` of the client
sockets (a different slice each time), and the server reads them, so every
socket sees data now and then. Runs for `--seconds`, then closes everything.
Prints "ready PORT PID" on stdout once all connections are up.

Usage: top-sockets.py [--pairs 5000] [--seconds 60] [--active 500] [--period 0.1]
"""
import argparse
import os
import resource
import selectors
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=5000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--active", type=int, default=500)
    ap.add_argument("--period", type=float, default=0.1)
    a = ap.parse_args()

    need = 2 * a.pairs + 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(need, soft), max(need, hard)))

    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4096)
    port = srv.getsockname()[1]
    sel = selectors.DefaultSelector()

    clients, served = [], []
    deadline = time.monotonic() + 60
    for _ in range(a.pairs):
        c = socket.create_connection(("127.0.0.1", port))
        s, _ = srv.accept()
        s.setblocking(False)
        c.setblocking(False)
        sel.register(s, selectors.EVENT_READ, "server")
        sel.register(c, selectors.EVENT_READ, "client")
        clients.append(c)
        served.append(s)
        if time.monotonic() > deadline:
            sys.exit("could not open the connections in 60 s")
    print("ready", port, os.getpid(), flush=True)

    end = time.monotonic() + a.seconds
    next_send = time.monotonic()
    cursor = 0
    payload = b"PING\r\n"
    while time.monotonic() < end:
        now = time.monotonic()
        if now >= next_send:
            for i in range(a.active):
                clients[(cursor + i) % len(clients)].send(payload)
            cursor = (cursor + a.active) % len(clients)
            next_send += a.period
        timeout = max(0.0, min(next_send, end) - time.monotonic())
        for key, _ in sel.select(timeout):
            try:
                data = key.fileobj.recv(4096)
                if data and key.data == "server":
                    key.fileobj.send(b"+PONG\r\n")
            except BlockingIOError:
                pass
    for s in served + clients:
        s.close()
    srv.close()


if __name__ == "__main__":
    main()
