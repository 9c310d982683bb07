#!/usr/bin/env python3
"""A server whose one connection is read by two of its threads with different
names: the main thread (named by --comm) and, for one request in the middle,
a thread named --other-comm (--other-reads requests in a row). A client in a separate process sends --count
one-byte requests, each after the echo of the last, on 127.0.0.1 only.

Prints {"server_pid": ..., "port": ...} once listening, waits for --go-file,
then runs and prints {"requests": N} when done. Bounded: --count requests and
a 20 s socket timeout."""
import argparse
import ctypes
import json
import os
import socket
import threading
import time

PR_SET_NAME = 15


def set_thread_name(name):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)


def echo_one(conn):
    b = conn.recv(1)
    if b:
        conn.sendall(b)
    return bool(b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--comm", required=True)
    ap.add_argument("--other-comm", required=True)
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--other-reads", type=int, default=20)
    ap.add_argument("--go-file", required=True)
    a = ap.parse_args()
    set_thread_name(a.comm)
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    port = ls.getsockname()[1]
    print(json.dumps({"server_pid": os.getpid(), "port": port}), flush=True)
    deadline = time.time() + 30
    while not os.path.exists(a.go_file) and time.time() < deadline:
        time.sleep(0.05)

    child = os.fork()
    if child == 0:  # the client, another process, outside --comm
        set_thread_name("psclient")
        c = socket.create_connection(("127.0.0.1", port), timeout=20)
        for _ in range(a.count):
            c.sendall(b"x")
            if not c.recv(1):
                break
            time.sleep(0.002)
        c.close()
        os._exit(0)

    conn, _ = ls.accept()
    conn.settimeout(20)
    half = a.count // 2
    for _ in range(half):
        echo_one(conn)

    def other():
        set_thread_name(a.other_comm)
        for _ in range(a.other_reads):
            echo_one(conn)

    t = threading.Thread(target=other)
    t.start()
    t.join()
    for _ in range(a.count - half - a.other_reads):
        echo_one(conn)
    os.waitpid(child, 0)
    conn.close()
    print(json.dumps({"requests": a.count}), flush=True)


if __name__ == "__main__":
    main()
