#!/usr/bin/env python3
"""Test helper for bench/top-cpu: N loopback connection pairs (2N tracked
sockets) to a small server of its own on 127.0.0.1, with a little traffic.

About `--touch` pairs a second are written to: every `--period` seconds it
writes a few bytes on the next slice of the client sockets (round robin), the
server reads them and answers, so every socket sees data now and then (all of
them every second when --touch >= --pairs). Runs for `--seconds` after it is
ready, then closes everything; it also gives up by itself when the
connections are not all up after `--connect-timeout` seconds.
Prints "ready PORT PID" on stdout once all connections are up.

The connections are made in batches of non-blocking connects (loopback
completes the handshake inside connect()), then accepted; every socket has
SO_LINGER 0, so closing (or being killed) resets it and leaves no TIME_WAIT
behind (a run at 100,000 sockets would otherwise leave 50,000 of them).

Usage: top-sockets.py [--pairs 5000] [--seconds 60] [--touch 5000] [--period 0.1]
                      [--connect-timeout 110]
"""
import argparse
import errno
import os
import random
import resource
import selectors
import socket
import struct
import sys
import time

LINGER0 = struct.pack("ii", 1, 0)
BATCH = 512  # connects in flight at once; below the listen backlog


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=5000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--touch", type=float, default=5000, help="pairs written to per second")
    ap.add_argument("--period", type=float, default=0.1)
    ap.add_argument("--connect-timeout", type=float, default=110)
    a = ap.parse_args()
    if a.pairs < 1 or a.period <= 0 or a.touch < 0:
        sys.exit("top-sockets.py: --pairs >= 1, --period > 0, --touch >= 0")

    need = 2 * a.pairs + 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        if hard != resource.RLIM_INFINITY and need > hard:
            sys.exit(f"top-sockets.py: {a.pairs} pairs need {need} descriptors, the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))

    # The listening port lies below the ephemeral range, as a real service's
    # does: connections that existed before tracing have no birth to say
    # which side is the server, and pollscope then takes the lower port
    # (a port from the ephemeral range would make half the clients look like
    # services: a series each in export).
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    for p in random.sample(range(20000, 30000), 200):
        try:
            srv.bind(("127.0.0.1", p))
            break
        except OSError:
            continue
    else:
        sys.exit("top-sockets.py: no free port in 20000-29999")
    srv.listen(4096)
    srv.settimeout(5)
    addr = srv.getsockname()
    port = addr[1]
    sel = selectors.DefaultSelector()

    clients, served = [], []
    deadline = time.monotonic() + a.connect_timeout
    while len(clients) < a.pairs:
        if time.monotonic() > deadline:
            sys.exit(f"top-sockets.py: only {len(clients)} of {a.pairs} connections in {a.connect_timeout:g} s")
        n = min(BATCH, a.pairs - len(clients))
        batch = []
        for _ in range(n):
            c = socket.socket()
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER0)
            c.setblocking(False)
            err = c.connect_ex(addr)
            if err not in (0, errno.EINPROGRESS):
                sys.exit(f"top-sockets.py: connect: {os.strerror(err)}")
            batch.append(c)
        for _ in range(n):
            try:
                s, _ = srv.accept()
            except socket.timeout:
                sys.exit("top-sockets.py: accept timed out")
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER0)
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ, "server")
            served.append(s)
        # Accepted means the handshake is done; a client still in progress
        # (not on loopback) is waited for here.
        for c in batch:
            while c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                try:
                    c.getpeername()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        sys.exit("top-sockets.py: a connection did not complete")
                    time.sleep(0.001)
            else:
                sys.exit("top-sockets.py: a connection failed")
            sel.register(c, selectors.EVENT_READ, "client")
            clients.append(c)
    print("ready", port, os.getpid(), flush=True)

    end = time.monotonic() + a.seconds
    next_send = time.monotonic()
    cursor = 0
    owed = 0.0  # pairs to write to, carried over (--touch * --period is rarely whole)
    payload = b"PING\r\n"
    while time.monotonic() < end:
        now = time.monotonic()
        if now >= next_send:
            owed += a.touch * a.period
            k = int(owed)
            owed -= k
            for i in range(k):
                try:
                    clients[(cursor + i) % len(clients)].send(payload)
                except BlockingIOError:
                    pass
            cursor = (cursor + k) % len(clients)
            next_send += a.period
        timeout = max(0.0, min(next_send, end) - time.monotonic())
        for key, _ in sel.select(timeout):
            try:
                data = key.fileobj.recv(4096)
                if data and key.data == "server":
                    key.fileobj.send(b"+PONG\r\n")
            except (BlockingIOError, ConnectionError):
                pass
    for s in served + clients:
        s.close()
    srv.close()


if __name__ == "__main__":
    main()
