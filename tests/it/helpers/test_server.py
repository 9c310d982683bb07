#!/usr/bin/env python3
"""A small test server for `pollscope load` integration tests (127.0.0.1 only).

Prints its address 127.0.0.1:PORT as the first line of stdout, then serves
until killed. Modes:
  --proto resp     answers every RESP command with +PONG
  --proto echo     sends back every byte it reads
  --proto silent   accepts and reads but never answers (timeouts)
Faults:
  --stall-after N  after N requests (resp) or N*size bytes (echo), stops
                   reading and writing for --stall-ms milliseconds, once
  --corrupt-every N  echo: flips one byte of every Nth byte-block of 4096 bytes
  --hangup fin|rst  resp: answers --hangup-after requests on each connection,
                   then reads the next one and closes without answering it:
                   fin = an orderly close (nothing is left unread, so the
                   kernel sends a FIN), rst = SO_LINGER 0 (the kernel sends
                   an RST). With one request in flight (-P 1) the client
                   sees exactly that.
"""
import argparse
import selectors
import socket
import struct
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--proto", choices=["resp", "echo", "silent"], default="resp")
    ap.add_argument("--stall-after", type=int, default=0)
    ap.add_argument("--stall-ms", type=int, default=500)
    ap.add_argument("--corrupt", action="store_true", help="echo: flip the first byte of every read")
    ap.add_argument("--hangup", choices=["fin", "rst"])
    ap.add_argument("--hangup-after", type=int, default=0)
    a = ap.parse_args()

    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", a.port))
    ls.listen(512)
    ls.setblocking(False)
    print("127.0.0.1:%d" % ls.getsockname()[1], flush=True)

    sel = selectors.DefaultSelector()
    sel.register(ls, selectors.EVENT_READ, None)
    pending = {}  # conn -> bytes to send
    parsed = {}   # conn -> unparsed request bytes (resp)
    served = 0
    stalled = False
    answered = {}  # conn -> requests answered (--hangup)

    def drop(conn):
        sel.unregister(conn)
        pending.pop(conn, None)
        parsed.pop(conn, None)
        answered.pop(conn, None)
        conn.close()

    def count_resp(conn, data):
        # Requests are *N\r\n$len\r\narg\r\n...: count complete ones.
        buf = parsed.get(conn, b"") + data
        n = 0
        while True:
            if not buf.startswith(b"*"):
                if buf:
                    buf = b""  # not RESP: drop it
                break
            end = buf.find(b"\r\n")
            if end < 0:
                break
            args = int(buf[1:end])
            pos = end + 2
            ok = True
            for _ in range(args):
                e = buf.find(b"\r\n", pos)
                if e < 0:
                    ok = False
                    break
                ln = int(buf[pos + 1:e])
                if len(buf) < e + 2 + ln + 2:
                    ok = False
                    break
                pos = e + 2 + ln + 2
            if not ok:
                break
            buf = buf[pos:]
            n += 1
        parsed[conn] = buf
        return n

    while True:
        for key, ev in sel.select(timeout=1.0):
            if key.data is None:
                try:
                    conn, _ = ls.accept()
                except BlockingIOError:
                    continue
                conn.setblocking(False)
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sel.register(conn, selectors.EVENT_READ, "c")
                pending[conn] = b""
                continue
            conn = key.fileobj
            if ev & selectors.EVENT_READ:
                try:
                    data = conn.recv(65536)
                except (ConnectionResetError, BlockingIOError):
                    data = b""
                if not data:
                    drop(conn)
                    continue
                if a.proto == "resp":
                    n = count_resp(conn, data)
                    if a.hangup and answered.get(conn, 0) + n > a.hangup_after:
                        n = a.hangup_after - answered.get(conn, 0)
                        if n > 0:  # the ones still owed first, then hang up
                            conn.setblocking(True)
                            conn.sendall(b"+PONG\r\n" * n)
                        if a.hangup == "rst":
                            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        drop(conn)
                        continue
                    answered[conn] = answered.get(conn, 0) + n
                    pending[conn] += b"+PONG\r\n" * n
                    served += n
                elif a.proto == "echo":
                    if a.corrupt:
                        data = bytes([data[0] ^ 1]) + data[1:]
                    pending[conn] += data
                    served += 1
            if pending.get(conn):
                try:
                    sent = conn.send(pending[conn])
                    pending[conn] = pending[conn][sent:]
                except (BlockingIOError, ConnectionResetError, BrokenPipeError):
                    pass
                want = selectors.EVENT_READ | (selectors.EVENT_WRITE if pending[conn] else 0)
                sel.modify(conn, want, "c")
            elif conn in pending:
                sel.modify(conn, selectors.EVENT_READ, "c")
            if a.stall_after and not stalled and served >= a.stall_after:
                stalled = True
                print("stall", flush=True)
                time.sleep(a.stall_ms / 1000.0)


if __name__ == "__main__":
    sys.exit(main())
