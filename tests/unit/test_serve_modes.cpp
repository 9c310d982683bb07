#include <catch2/catch.hpp>
#include <iterator>
#include <set>
#include <string>

#include "core/serve/modes.hpp"

using namespace pollscope::serve;

TEST_CASE("serve modes: one row per mode, names round-trip", "[serve]") {
  const Mode all[] = {Mode::kBlocking, Mode::kBusyPoll, Mode::kSelect, Mode::kPoll, Mode::kEpoll, Mode::kEpollEt};
  REQUIRE(modes().size() == std::size(all));
  std::set<std::string> names;
  for (Mode m : all) {
    CHECK(mode_info(m).mode == m);
    names.insert(mode_name(m));
    Mode back = Mode::kEpoll;
    REQUIRE(parse_mode(mode_name(m), &back));
    CHECK(back == m);
  }
  CHECK(names.size() == std::size(all));
  Mode unchanged = Mode::kPoll;
  CHECK_FALSE(parse_mode("kqueue", &unchanged));
  CHECK(unchanged == Mode::kPoll);
  CHECK(find_mode("") == nullptr);
}

TEST_CASE("serve modes: the list lab and the help texts use", "[serve]") {
  CHECK(join_mode_names(",") == "blocking,busy-poll,select,poll,epoll,epoll-et");
  CHECK(mode_names().front() == "blocking");
  CHECK(mode_info(Mode::kBlocking).blocking);
  CHECK_FALSE(mode_info(Mode::kEpoll).blocking);
  CHECK(mode_info(Mode::kSelect).fd_setsize_limit);
  CHECK_FALSE(mode_info(Mode::kPoll).fd_setsize_limit);
}
