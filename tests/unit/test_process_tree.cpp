#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/proc/process_tree.hpp"

using namespace pollscope;

TEST_CASE("a /proc stat line parses with spaces and parentheses in the command", "[proc]") {
  auto st = parse_proc_stat(
      "4242 (my (odd) cmd) S 17 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 123456 1000 10 "
      "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0");
  REQUIRE(st);
  CHECK(st->pid == 4242);
  CHECK(st->state == 'S');
  CHECK(st->ppid == 17);
  CHECK(st->utime_ticks == 7);
  CHECK(st->stime_ticks == 3);
  CHECK(st->start_ticks == 123456);
  CHECK_FALSE(parse_proc_stat("garbage"));
  CHECK_FALSE(parse_proc_stat("12 (short) S 1 2"));
}

TEST_CASE("process_tree finds a child's child, and still_running sees it exit", "[proc]") {
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    pid_t grandchild = ::fork();
    if (grandchild == 0) {
      ::pause();
      ::_exit(0);
    }
    (void)!::write(ready[1], &grandchild, sizeof(grandchild));
    ::pause();
    ::_exit(0);
  }
  pid_t grandchild = 0;
  // Whatever fails below, neither process outlives the test.
  struct KillAtEnd {
    pid_t& child;
    pid_t& grandchild;
    ~KillAtEnd() {
      if (grandchild > 0) ::kill(grandchild, SIGKILL);
      if (child > 0) {
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
      }
    }
  } guard{child, grandchild};
  REQUIRE(::read(ready[0], &grandchild, sizeof(grandchild)) == sizeof(grandchild));
  ::close(ready[0]);
  ::close(ready[1]);

  auto tree = process_tree(child);
  REQUIRE(tree.size() == 2);
  CHECK(tree[0].pid == child);
  CHECK(tree[1].pid == grandchild);
  CHECK(tree[1].ppid == child);
  CHECK(still_running(tree[1]));

  ::kill(grandchild, SIGKILL);
  // Until the child reaps it, the grandchild is a zombie: exited all the same.
  for (int i = 0; i < 200 && still_running(tree[1]); i++) ::usleep(10000);
  CHECK_FALSE(still_running(tree[1]));
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  CHECK(process_tree(child).empty());
  child = grandchild = -1;  // both gone: nothing left for the guard
}
