#!/usr/bin/env python3
"""Test helper: names itself `epoll_loop`, prints its pid, waits for a line on
stdin (unless --now), then makes exactly N epoll_wait calls with a 0 timeout
and exits. A known count of syscall events for the tracers that watch it."""
import select
import sys


def main():
    n = int(sys.argv[1])
    with open("/proc/self/comm", "w") as f:
        f.write("epoll_loop")
    print(__import__("os").getpid(), flush=True)
    if "--now" not in sys.argv:
        sys.stdin.readline()
    ep = select.epoll()
    for _ in range(n):
        ep.poll(0)
    ep.close()


if __name__ == "__main__":
    main()
