// The metric tables (core/model/row_metrics.hpp): every entry merges by its
// kind, survives JSON both ways, is the delta of its kernel field, and is
// documented in pollscope-report(8) FIELDS, so a counter added to a table
// cannot ship undocumented.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/model/json_fields.hpp"
#include "core/model/metric_json.hpp"
#include "core/model/row_metrics.hpp"
#include "core/model/snapshot_json.hpp"
#include "core/trace/collector.hpp"

using namespace pollscope;

namespace {

// A row and its kernel twin with one metric of each merge kind.
struct TestRow {
  uint64_t total = 0, peak = 0, level = 0, later_key = 0;
  Log2Histogram lat;
  StageStats stages;
};
struct TestRaw {
  __u64 total, peak, level, later_key;
  ps_hist lat;
  ps_stages stages;
};
constexpr Metric<TestRow, TestRaw> kTestMetrics[] = {
    counter("total", &TestRow::total, &TestRaw::total, Merge::kSum, "events"),
    counter("peak", &TestRow::peak, &TestRaw::peak, Merge::kMax, "sockets"),
    counter("level", &TestRow::level, &TestRaw::level, Merge::kLast, "sockets"),
    counter("later_key", &TestRow::later_key, &TestRaw::later_key, Merge::kSum, "events", Presence::kAddedLater),
    histogram("lat", &TestRow::lat, &TestRaw::lat),
    stage_split("stages", &TestRow::stages, &TestRaw::stages),
};

// A value for metric i of a table that no other metric of it has.
uint64_t value_of(size_t i, uint64_t base) { return base + 1000 * (i + 1); }

// Fills every metric of a table with distinct values; histograms get samples.
template <class Row, class Raw, size_t N>
void fill(const Metric<Row, Raw> (&table)[N], Row& r, uint64_t base) {
  for (size_t i = 0; i < N; i++) {
    if (table[i].is_histogram()) {
      (r.*table[i].hist).record(value_of(i, base));
      (r.*table[i].hist).record(7 * value_of(i, base));
    } else if (table[i].is_stages()) {
      StageStats& st = r.*table[i].stages;
      st.split = 2;
      st.approx = 1;
      st.hist[kStageRunq].record(value_of(i, base));
      st.hist[kStageDispatch].record(3 * value_of(i, base));
      st.classes.row(StageStats::class_of(4 * value_of(i, base))).ns[kStageRunq] = value_of(i, base);
      st.classes.row(StageStats::class_of(4 * value_of(i, base))).ns[kStageDispatch] = 3 * value_of(i, base);
      st.classes.row(StageStats::class_of(4 * value_of(i, base))).count = 2;
    } else {
      r.*table[i].count = value_of(i, base);
    }
  }
}

template <class Row, class Raw, size_t N>
void check_equal(const Metric<Row, Raw> (&table)[N], const Row& a, const Row& b) {
  for (const auto& m : table) {
    INFO(m.json);
    if (m.is_histogram()) CHECK(a.*m.hist == b.*m.hist);
    else if (m.is_stages()) CHECK(a.*m.stages == b.*m.stages);
    else CHECK(a.*m.count == b.*m.count);
  }
}

template <class Row, class Raw, size_t N>
std::vector<std::string> names(const Metric<Row, Raw> (&table)[N]) {
  std::vector<std::string> out;
  for (const auto& m : table) out.push_back(m.json);
  return out;
}

// --- pollscope-report(8), read as roff -------------------------------------

// The repository's root: tests are compiled from it, so __FILE__ starts there.
std::string repo_path(const std::string& rel) {
  std::string here = __FILE__;
  return here.substr(0, here.rfind("tests/unit/")) + rel;
}

// A macro line's arguments: words, or "quoted strings".
std::vector<std::string> roff_args(const std::string& line) {
  std::vector<std::string> out;
  size_t i = line.find(' ');
  while (i != std::string::npos && i < line.size()) {
    while (i < line.size() && line[i] == ' ') i++;
    if (i >= line.size()) break;
    size_t end = line[i] == '"' ? line.find('"', i + 1) : line.find(' ', i);
    if (line[i] == '"') {
      out.push_back(line.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1));
      i = end == std::string::npos ? end : end + 1;
    } else {
      out.push_back(line.substr(i, end == std::string::npos ? std::string::npos : end - i));
      i = end;
    }
  }
  return out;
}

// The words set in bold in the FIELDS, JSON paragraph that starts with
// ".B <heading>" (".B sockets[]:"): .B takes its words bold, .BR/.BI the
// odd-numbered ones. Empty when the paragraph is not found.
std::set<std::string> documented_keys(const std::string& heading) {
  std::ifstream in(repo_path("man/pollscope-report.8"));
  REQUIRE(in.good());
  std::string line;
  bool fields = false, json = false, para = false;
  std::set<std::string> out;
  while (std::getline(in, line)) {
    if (line.rfind(".SH ", 0) == 0) fields = line == ".SH FIELDS";
    else if (line.rfind(".SS ", 0) == 0) json = fields && line == ".SS JSON";
    else if (line == ".PP") para = false;
    if (!json) continue;
    if (line == ".B " + heading) para = true;
    if (!para) continue;
    std::vector<std::string> args = roff_args(line);
    if (line.rfind(".B ", 0) == 0) out.insert(args.begin(), args.end());
    if (line.rfind(".BR ", 0) == 0 || line.rfind(".BI ", 0) == 0)
      for (size_t i = 0; i < args.size(); i += 2) out.insert(args[i]);
  }
  return out;
}

void check_documented(const std::string& heading, const std::vector<std::string>& keys) {
  std::set<std::string> doc = documented_keys(heading);
  INFO("pollscope-report(8) FIELDS, JSON, paragraph " << heading);
  REQUIRE(!doc.empty());
  for (const auto& k : keys) {
    INFO("key " << k << " is not documented there");
    CHECK(doc.count(k) == 1);
  }
}

}  // namespace

TEST_CASE("metrics merge by their kind", "[metrics]") {
  CHECK(merge_count(Merge::kSum, 3, 4) == 7);
  CHECK(merge_count(Merge::kMax, 3, 4) == 4);
  CHECK(merge_count(Merge::kMax, 5, 4) == 5);
  CHECK(merge_count(Merge::kLast, 5, 4) == 4);
  CHECK(merge_count(Merge::kLast, 5, 0) == 0);

  TestRow a, b;
  a.total = 10, a.peak = 8, a.level = 3;
  b.total = 5, b.peak = 6, b.level = 9;
  a.lat.record(100);
  b.lat.record(5000);
  b.lat.record(200);
  merge_metrics(kTestMetrics, a, b);
  CHECK(a.total == 15);
  CHECK(a.peak == 8);
  CHECK(a.level == 9);
  CHECK(a.lat.count() == 3);
  CHECK(a.lat.sum_ns == 5300);
  CHECK(a.lat.max_ns == 5000);

  TestRow c;
  copy_metrics(kTestMetrics, c, a);
  check_equal(kTestMetrics, c, a);
}

TEST_CASE("every table metric merges by its kind across snapshots", "[metrics]") {
  Snapshot s1, s2;
  SocketRow r1, r2;
  fill(kSocketMetrics, r1, 1);
  fill(kSocketMetrics, r2, 2);
  s1.sockets = {r1};
  s2.sockets = {r2};
  ThreadRow t1, t2;
  t1.tid = t2.tid = 5;
  fill(kThreadMetrics, t1, 1);
  fill(kThreadMetrics, t2, 2);
  for (int k = 0; k < kWaitKinds; k++) {
    fill(kWaitMetrics, t1.wait[k], 10 + k);
    fill(kWaitMetrics, t2.wait[k], 20 + k);
  }
  s1.threads = {t1};
  s2.threads = {t2};
  CpuRow c1, c2;
  for (int v = 0; v < kSoftirqVectors; v++) c1.count[v] = v, c2.count[v] = 100 + v, c1.time_ns[v] = 7, c2.time_ns[v] = 9;
  s1.cpus = {c1};
  s2.cpus = {c2};
  s1.merge(s2);

  // The expected value of each metric, by the merge kind the table names.
  SocketRow want_r = r1;
  merge_metrics(kSocketMetrics, want_r, r2);
  for (const auto& m : kSocketMetrics) {
    INFO(m.json);
    if (m.is_histogram()) {
      Log2Histogram h = r1.*m.hist;
      h.add(r2.*m.hist);
      CHECK(s1.sockets.at(0).*m.hist == h);
    } else if (m.is_stages()) {
      StageStats st = r1.*m.stages;
      st.add(r2.*m.stages);
      CHECK(s1.sockets.at(0).*m.stages == st);
      CHECK((s1.sockets.at(0).*m.stages).split == 4);
    } else {
      CHECK(s1.sockets.at(0).*m.count == merge_count(m.merge, r1.*m.count, r2.*m.count));
    }
  }
  check_equal(kSocketMetrics, s1.sockets.at(0), want_r);
  for (const auto& m : kThreadMetrics)
    if (!m.is_histogram() && !m.is_stages()) CHECK(s1.threads.at(0).*m.count == merge_count(m.merge, t1.*m.count, t2.*m.count));
  for (int k = 0; k < kWaitKinds; k++)
    for (const auto& m : kWaitMetrics)
      if (!m.is_histogram())
        CHECK(s1.threads.at(0).wait[k].*m.count == merge_count(m.merge, t1.wait[k].*m.count, t2.wait[k].*m.count));
  for (const auto& m : kCpuMetrics)
    for (int v = 0; v < kSoftirqVectors; v++)
      CHECK((s1.cpus.at(0).*m.count)[v] == merge_count(m.merge, (c1.*m.count)[v], (c2.*m.count)[v]));
}

TEST_CASE("every table metric survives a JSON round trip", "[metrics]") {
  Snapshot s;
  s.start_time = 1000;
  s.end_time = 1001;
  SocketRow r;
  fill(kSocketMetrics, r, 3);
  s.sockets = {r};
  ThreadRow t;
  fill(kThreadMetrics, t, 4);
  for (int k = 0; k < kWaitKinds; k++) fill(kWaitMetrics, t.wait[k], 40 + k);
  s.threads = {t};
  CpuRow c;
  for (const auto& m : kCpuMetrics)
    for (int v = 0; v < kSoftirqVectors; v++) (c.*m.count)[v] = 17 * (v + 1) + (m.count == &CpuRow::time_ns);
  s.cpus = {c};

  for (bool derived : {false, true}) {
    Snapshot back;
    std::string err;
    REQUIRE(snapshot_from_json(nlohmann::json(snapshot_to_json(s, derived)), &back, &err));
    check_equal(kSocketMetrics, back.sockets.at(0), r);
    check_equal(kThreadMetrics, back.threads.at(0), t);
    for (int k = 0; k < kWaitKinds; k++) check_equal(kWaitMetrics, back.threads.at(0).wait[k], t.wait[k]);
    for (const auto& m : kCpuMetrics) CHECK(back.cpus.at(0).*m.count == c.*m.count);
  }
}

TEST_CASE("a metric added later reads as zero from an older recording; others are required", "[metrics]") {
  TestRow r;
  fill(kTestMetrics, r, 5);
  Json o;
  counters_to_json(kTestMetrics, r, o);
  histograms_to_json(kTestMetrics, r, false, o);
  CHECK(o.dump().find("\"total\":") < o.dump().find("\"lat\":"));

  nlohmann::json doc(o);
  doc.erase("later_key");
  TestRow back;
  back.later_key = 99;
  metrics_from_json(kTestMetrics, JsonObject(doc, "x"), back);
  CHECK(back.later_key == 99);  // left as it was: a new row's 0
  CHECK(back.total == r.total);
  CHECK(back.lat == r.lat);

  doc.erase("total");
  CHECK_THROWS_WITH(metrics_from_json(kTestMetrics, JsonObject(doc, "x"), back), "missing key x.total");
}

TEST_CASE("every table metric is the interval delta of its kernel field", "[metrics]") {
  ps_sock before{}, now{};
  size_t i = 0;
  for (const auto& m : kSocketMetrics) {
    i++;
    if (m.is_histogram()) {
      (before.*m.raw_hist).slots[3] = i;
      (now.*m.raw_hist).slots[3] = 3 * i;
      (now.*m.raw_hist).sum_ns = 100 * i;
      (now.*m.raw_hist).max_ns = 15;
    } else if (m.is_stages()) {
      (before.*m.raw_stages).split = i;
      (now.*m.raw_stages).split = 4 * i;
      (now.*m.raw_stages).hist[kStageRunq][2] = 3;
      (now.*m.raw_stages).class_ns[1][kStageRunq] = 50 * i;
    } else {
      before.*m.raw_count = i;
      now.*m.raw_count = 10 * i;
    }
  }
  SocketRow r = socket_row_from_raw(1, now, &before);
  i = 0;
  for (const auto& m : kSocketMetrics) {
    i++;
    INFO(m.json);
    if (m.is_histogram()) {
      CHECK((r.*m.hist).slots[3] == 2 * i);
    } else if (m.is_stages()) {
      CHECK((r.*m.stages).split == 3 * i);
      CHECK((r.*m.stages).hist[kStageRunq].slots[2 + PS_STAGE_SLOT_SHIFT] == 3);
      CHECK((r.*m.stages).stage_ns(kStageRunq) == 50 * i);
    } else {
      CHECK(r.*m.count == 9 * i);
    }
  }

  ps_thread tb{}, tn{};
  i = 0;
  for (const auto& m : kThreadMetrics) {
    i++;
    if (m.is_stages()) (tb.*m.raw_stages).split = i, (tn.*m.raw_stages).split = 5 * i;
    else if (!m.is_histogram()) tb.*m.raw_count = i, tn.*m.raw_count = 5 * i;
  }
  for (int k = 0; k < PS_WAIT_KINDS; k++) {
    i = 0;
    for (const auto& m : kWaitMetrics) {
      i++;
      if (!m.is_histogram()) tb.wait[k].*m.raw_count = i, tn.wait[k].*m.raw_count = (k + 2) * i;
    }
  }
  ThreadRow t = thread_row_from_raw(tn, &tb);
  i = 0;
  for (const auto& m : kThreadMetrics) {
    i++;
    if (m.is_stages()) CHECK((t.*m.stages).split == 4 * i);
    else if (!m.is_histogram()) CHECK(t.*m.count == 4 * i);
  }
  for (int k = 0; k < kWaitKinds; k++) {
    i = 0;
    for (const auto& m : kWaitMetrics) {
      i++;
      if (!m.is_histogram()) CHECK(t.wait[k].*m.count == static_cast<uint64_t>(k + 1) * i);
    }
  }
}

TEST_CASE("table keys are unique and every metric says its unit", "[metrics]") {
  auto check_table = [](const std::vector<std::string>& keys) {
    CHECK(std::set<std::string>(keys.begin(), keys.end()).size() == keys.size());
  };
  check_table(names(kSocketMetrics));
  check_table(names(kThreadMetrics));
  check_table(names(kWaitMetrics));
  for (const auto& m : kSocketMetrics) CHECK(std::string(m.unit) != "");
  for (const auto& m : kThreadMetrics) CHECK(std::string(m.unit) != "");
  for (const auto& m : kWaitMetrics) CHECK(std::string(m.unit) != "");
  for (const auto& m : kCpuMetrics) CHECK(std::string(m.unit) != "");
}

TEST_CASE("every table metric is documented in pollscope-report(8) FIELDS", "[metrics][docs]") {
  check_documented("sockets[]:", names(kSocketMetrics));
  std::vector<std::string> thread_keys = names(kThreadMetrics);
  for (const auto& k : names(kWaitMetrics)) thread_keys.push_back(k);
  check_documented("threads[]:", thread_keys);
  std::vector<std::string> cpu_keys;
  for (const auto& m : kCpuMetrics) cpu_keys.push_back(m.json);
  check_documented("cpus[]:", cpu_keys);
  // The check itself: an undocumented key is caught.
  CHECK(documented_keys("sockets[]:").count("no_such_counter") == 0);
}
