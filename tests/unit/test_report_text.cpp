#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "core/model/snapshot.hpp"
#include "core/render/format.hpp"
#include "core/render/report_options.hpp"

using namespace pollscope;

// The health table's row for one tracepoint, whitespace-split.
static std::vector<std::string> health_row(const std::string& text, const std::string& tracepoint) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(tracepoint + " ", 0) != 0) continue;
    std::istringstream words(line);
    std::vector<std::string> out;
    for (std::string w; words >> w;) out.push_back(w);
    return out;
  }
  return {};
}

TEST_CASE("the health table shows runs only when bpf_stats counted them", "[report]") {
  Snapshot s;
  s.start_time = 1000;
  s.end_time = 1002;
  s.families = {"sock"};
  s.health.probes.push_back({"sock:sk_data_ready", "sock", "tp_btf", true, "", "btf_sk_data_ready", 0, 0});

  s.health.self_cost = false;
  auto row = health_row(render_report_text(s, ReportLayout{}), "sock:sk_data_ready");
  REQUIRE(row.size() >= 5);
  CHECK(row[2] == "-");  // RUNS: not a false 0
  CHECK(row[3] == "-");  // NS/RUN

  s.health.self_cost = true;
  s.health.probes[0].run_cnt = 20;
  s.health.probes[0].run_time_ns = 3000;
  row = health_row(render_report_text(s, ReportLayout{}), "sock:sk_data_ready");
  REQUIRE(row.size() >= 5);
  CHECK(row[2] == "20");
  CHECK(row[3] == "150");
}

// The report's socket row for this local port, whitespace-split.
static std::vector<std::string> socket_row(const std::string& text, const std::string& pid) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::string> out;
    for (std::string w; words >> w;) out.push_back(w);
    if (!out.empty() && out[0] == pid) return out;
  }
  return {};
}

TEST_CASE("the report prints numbers as top does, and cuts long names with '+'", "[report]") {
  Snapshot s;
  s.start_time = 1000;
  s.end_time = 1002;
  SocketRow r;
  r.pid = 4242;
  r.comm = "a-very-long-command";
  r.fd = 7;
  r.proto = "tcp";
  r.local = "127.0.0.1:6379";
  r.remote = "[2001:db8:1234:5678:9abc:def0:1234:5678]:50000";
  r.state = "ESTABLISHED";
  r.ready = 2 * 12345;       // 12345/s
  r.reads = 2 * 999;         // 999/s
  r.eagain = 1;              // 0.5/s
  r.read_bytes = 2 * 20000;  // 20000 B/s
  s.sockets.push_back(r);

  auto narrow = socket_row(render_report_text(s, ReportLayout{}), "4242");
  REQUIRE(narrow.size() == 8);
  CHECK(narrow[1] == "a-very-lo+");
  CHECK(narrow[3] == "+def0:1234:5678]:50000");  // the port is kept
  CHECK(narrow[4] == format_rate(12345));
  CHECK(narrow[4] == "12.3k");
  CHECK(narrow[5] == "999");
  CHECK(narrow[6] == "0.50");
  CHECK(narrow[7] == "ESTAB");

  ReportLayout wide;
  wide.wide = true;
  auto w = socket_row(render_report_text(s, wide), "4242");
  REQUIRE(w.size() == 13);  // "LOCAL -> REMOTE" is three words
  CHECK(w[1] == "a-very-long-co+");
  CHECK(w[11] == format_bytes(20000));
  CHECK(w[11] == "19.5K");
}
