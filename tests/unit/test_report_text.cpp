#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "core/model/snapshot.hpp"
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
