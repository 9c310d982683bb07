/* One process, one thread: a TCP loopback pair ping-ponging one byte, N
 * round trips, never sleeping. Each round trip runs the sock tracepoints
 * (send, sk_data_ready, recv on both ends) and the NET_RX softirq in this
 * process's context, so the time per round trip with and without probes is
 * their cost. Prints ns per round trip on stdout. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 200000;
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t al = sizeof a;
  if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &al)) {
    perror("listen");
    return 1;
  }
  int c = socket(AF_INET, SOCK_STREAM, 0);
  if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a)) {
    perror("connect");
    return 1;
  }
  int s = accept(l, NULL, NULL);
  int one = 1;
  setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  char b = 'x';
  double t0 = now();
  for (long i = 0; i < n; i++) {
    if (write(c, &b, 1) != 1 || read(s, &b, 1) != 1 || write(s, &b, 1) != 1 || read(c, &b, 1) != 1) {
      perror("ping-pong");
      return 1;
    }
  }
  printf("%.0f\n", (now() - t0) / n);
  return 0;
}
