#!/usr/bin/env python3
"""A loopback socket pair whose reader waits in epoll_wait, then (optionally)
sleeps a known delay before reading. Used to check ready->read and wakeup
attribution against known numbers. Prints one JSON line with its pid and ports,
waits for --go-file to exist (the tracer is ready), runs, prints "done"."""
import argparse, json, os, select, socket, sys, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--delay-ms", type=float, default=0.0)
ap.add_argument("--count", type=int, default=20)
ap.add_argument("--interval-ms", type=float, default=50.0)
ap.add_argument("--go-file", help="wait until this file exists before sending")
a = ap.parse_args()

lst = socket.socket()
lst.bind(("127.0.0.1", 0))
lst.listen(1)
cli = socket.create_connection(lst.getsockname())
srv, _ = lst.accept()
srv.setblocking(False)
print(json.dumps({"pid": os.getpid(), "server_port": lst.getsockname()[1],
                  "client_port": cli.getsockname()[1]}), flush=True)
if a.go_file:
    give_up = time.time() + 60
    while not os.path.exists(a.go_file) and time.time() < give_up:
        time.sleep(0.05)

def writer():
    for _ in range(a.count):
        cli.send(b"x")
        time.sleep(a.interval_ms / 1000.0)

ep = select.epoll()
ep.register(srv.fileno(), select.EPOLLIN)
t = threading.Thread(target=writer)
t.start()
got = 0
deadline = time.time() + 30
while got < a.count and time.time() < deadline:
    if not ep.poll(1.0):
        continue
    if a.delay_ms:
        time.sleep(a.delay_ms / 1000.0)
    try:
        got += len(srv.recv(4096))
    except BlockingIOError:
        pass
t.join()
print(json.dumps({"done": True, "bytes": got}), flush=True)
