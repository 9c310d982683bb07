#!/usr/bin/env python3
"""Waves of short-lived threads that each make exactly CALLS epoll_wait calls
(1 ms timeouts on an empty epoll set), for tests of the thread map: WAVES waves
of PER_WAVE threads, PAUSE seconds apart, started once the file GO exists.
Writes the native thread ids of the workers, as JSON, to OUT."""
import json
import os
import select
import sys
import threading
import time

go, out = sys.argv[1], sys.argv[2]
waves, per_wave, calls, pause = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])

deadline = time.monotonic() + 30
while not os.path.exists(go):
    if time.monotonic() > deadline:
        sys.exit("thread_waves: no go signal in 30 s")
    time.sleep(0.05)

tids = []
lock = threading.Lock()


def worker():
    with lock:
        tids.append(threading.get_native_id())
    ep = select.epoll()
    for _ in range(calls):
        ep.poll(0.001)
    ep.close()


for _ in range(waves):
    threads = [threading.Thread(target=worker) for _ in range(per_wave)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(pause)

with open(out, "w") as f:
    json.dump(tids, f)
