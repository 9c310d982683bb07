#include "core/render/completeness.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace pollscope {

namespace {

std::string size_text(uint32_t n) { return n ? std::to_string(n) : std::string("?"); }

}  // namespace

std::vector<std::string> incomplete_reasons(const Health& h) {
  std::vector<std::string> out;
  uint64_t conns = h.dropped("socks");
  if (conns || h.sock_events_lost) {
    std::string line = fmt::format("socket map full (--max-sockets {}): {} connections got no entry; {} of {} "
                                   "socket events ({:.1f}%) not recorded",
                                   size_text(h.max_sockets), conns, h.sock_events_lost,
                                   h.sock_events + h.sock_events_lost, 100.0 * h.sock_lost_share());
    if (uint32_t want = h.suggested_max_sockets()) line += fmt::format("; --max-sockets {} would have fit", want);
    out.push_back(line);
  }
  if (uint64_t n = h.dropped("threads")) {
    std::string line =
        fmt::format("thread map full (--max-threads {}): {} thread events not recorded", size_text(h.max_threads), n);
    if (uint32_t want = h.suggested_max_threads()) line += fmt::format("; try --max-threads {}", want);
    out.push_back(line);
  }
  if (uint64_t n = h.dropped("wakes"))
    out.push_back(fmt::format("wakeup map full: {} wakeups of untracked threads not timed", n));
  if (uint64_t n = h.dropped("unowned_ready"))
    out.push_back(fmt::format("{} readiness events of sockets without a known owner not kept", n));
  if (uint64_t n = h.dropped("stages"))
    out.push_back(fmt::format("stage split: {} readiness events read by threads without an entry were not split", n));
  if (uint64_t n = h.dropped("filter_pids"))
    out.push_back(fmt::format("pid filter full: {} forked children not followed", n));
  return out;
}

std::string incomplete_headline(const Health& h) {
  if (h.complete()) return "";
  if (h.sock_events_lost || h.dropped("socks")) {
    std::string line = fmt::format("INCOMPLETE: {:.1f}% of socket events not recorded", 100.0 * h.sock_lost_share());
    if (uint32_t want = h.suggested_max_sockets()) line += fmt::format(", try --max-sockets {}", want);
    return line;
  }
  if (h.dropped("threads")) {
    std::string line = fmt::format("INCOMPLETE: {} thread events not recorded", h.dropped("threads"));
    if (uint32_t want = h.suggested_max_threads()) line += fmt::format(", try --max-threads {}", want);
    return line;
  }
  return fmt::format("INCOMPLETE: {} events dropped (see health)", h.total_drops());
}

void warn_if_incomplete(const char* who, const Health& h) {
  for (const auto& reason : incomplete_reasons(h))
    std::fprintf(stderr, "%s: warning: figures are incomplete: %s\n", who, reason.c_str());
}

}  // namespace pollscope
