// The CPUs view: one row per CPU and softirq vector (key: "cpu.vector").
#include <fmt/format.h>

#include "core/render/format.hpp"
#include "tui/view.hpp"

namespace pollscope::tui {

namespace {

enum Col { kCpu, kVector, kTime, kCount, kAvg };

const std::vector<Column>& cpus_columns() {
  static const std::vector<Column> cols = {
      {"cpu", "CPU", 4, Align::Right, 1, true, false, false, 0, true},
      {"vector", "VECTOR", 9, Align::Left, 2, false, false, false},
      {"time", "TIME%", 6, Align::Right, 3, true, false, false},
      {"count", "COUNT/s", 8, Align::Right, 4, true, false, false},
      {"avg", "AVG", 7, Align::Right, 5, true, false, false},
  };
  return cols;
}

class CpusView : public View {
 public:
  const char* name() const override { return "CPUs"; }
  const std::vector<Column>& columns() const override { return cpus_columns(); }
  int default_sort() const override { return kTime; }

  // Item i: CPU i / kSoftirqVectors, vector i % kSoftirqVectors.
  size_t items(const Frame& f) const override { return f.snap ? f.snap->cpus.size() * kSoftirqVectors : 0; }

  bool write_row(const Frame& f, size_t item, RowWriter& w) const override {
    const Snapshot& s = *f.snap;
    const CpuRow& c = s.cpus[item / kSoftirqVectors];
    const int v = static_cast<int>(item % kSoftirqVectors);
    if (w.wants_key()) w.key().add_int(c.cpu).add(".").add_int(v);
    uint64_t n = c.count[static_cast<size_t>(v)], ns = c.time_ns[static_cast<size_t>(v)];
    w.num(kCpu, c.cpu, [&](double) { return std::to_string(c.cpu); });
    w.text(kVector, [&] { return std::string(softirq_name(v)); });
    w.num(kTime, percent_of_duration(ns, s), format_pct);
    w.num(kCount, per_second(n, s), format_rate);
    w.num(kAvg, n ? static_cast<double>(ns) / static_cast<double>(n) : 0.0, latency_text(n > 0));
    return true;
  }

  Detail detail(const Frame& f, const std::string& key) const override {
    Detail d;
    if (!f.snap) return d;
    const Snapshot& s = *f.snap;
    double dur = s.duration_s();
    for (const auto& c : s.cpus) {
      if (key.rfind(std::to_string(c.cpu) + ".", 0) != 0) continue;
      d.push_back(detail_text(fmt::format("CPU {}: softirq time by vector over {:.2f}s", c.cpu, dur), true));
      uint64_t max_ns = 1;
      for (auto ns : c.time_ns) max_ns = std::max(max_ns, ns);
      for (int v = 0; v < kSoftirqVectors; v++) {
        auto i = static_cast<size_t>(v);
        double pct = percent_of_duration(c.time_ns[i], s);
        int bar = static_cast<int>(30.0 * static_cast<double>(c.time_ns[i]) / static_cast<double>(max_ns) + 0.5);
        d.push_back(detail_text(fmt::format("  {:<9} {:>5}%  {:>8}/s  |{:<30}|", softirq_name(v), format_pct(pct),
                                            format_rate(per_second(c.count[i], s)), std::string(static_cast<size_t>(bar), '#'))));
      }
      return d;
    }
    d.push_back(detail_text("This CPU is not in the current interval.", true));
    return d;
  }
};

}  // namespace

std::unique_ptr<View> make_cpus_view() { return std::make_unique<CpusView>(); }

}  // namespace pollscope::tui
