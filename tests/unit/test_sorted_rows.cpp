// Top's rows sorted without being formatted (tui/sorted_rows): the same order,
// filter and search as the formatted rows through the table engine, texts
// formatted only for the rows asked for, keys spelled and ordered as strings.
#define NCURSES_NOMACROS 1
#include <curses.h>

#include <catch2/catch.hpp>

#include <algorithm>

#include "tui/sorted_rows.hpp"
#include "tui/top_model.hpp"

using namespace pollscope;
using namespace pollscope::tui;

namespace {

std::vector<std::string> keys_of(const std::vector<Row>& rows) {
  std::vector<std::string> k;
  for (const auto& r : rows) k.push_back(r.key);
  return k;
}

std::vector<std::string> keys_of(const SortedRows& rows) {
  std::vector<std::string> k;
  for (int i = 0; i < rows.size(); i++) k.emplace_back(rows.key(i));
  return k;
}

// Sockets with many ties (idle ones), kernel addresses whose hex spelling
// differs in length (0xa sorts after 0x10 as a key string), folded and closed
// rows, stage splits; threads, CPUs, and connection events.
Snapshot varied(int n) {
  Snapshot s;
  s.seq = 1;
  s.start_time = 1000;
  s.end_time = 1001;
  for (int i = 0; i < n; i++) {
    SocketRow r;
    r.key = {static_cast<uint64_t>(i % 3 == 0 ? 0xa + i : 0xffff888100000000ULL + 64 * static_cast<uint64_t>(i)),
             static_cast<uint64_t>(1 + i % 7)};
    r.pid = static_cast<uint32_t>(100 + i % 5);
    r.tid = r.pid + static_cast<uint32_t>(i % 2);
    r.comm = i % 4 ? "redis-server" : "";
    r.fd = i % 9 ? 10 + i : -1;
    r.proto = "tcp";
    r.local = i % 6 ? "127.0.0.1:6379" : "[::1]:80";
    r.remote = i % 8 ? "127.0.0.1:" + std::to_string(40000 + i) : "";
    r.state = i % 10 ? "ESTABLISHED" : "CLOSE_WAIT";
    if (i % 13 == 0) r.close_time = 1000.5;
    if (i % 17 == 0) r.folded = 3;
    r.age_s = i % 4 * 2.5;
    if (i % 5 == 0) {  // active; the others tie at zero
      r.ready = static_cast<uint64_t>(i % 11);
      r.reads = r.ready + 1;
      r.read_bytes = 100 * r.ready;
      for (int k = 0; k < i % 7; k++) r.ready_to_read.record(1000u << k);
      r.wakeups = r.ready / 2;
      r.wake_to_run.record(3000);
    }
    if (i % 3 == 1) {
      int c = StageStats::class_of(20000);
      r.stages.classes.row(c).ns[kStageRunq] += 15000 + 100 * static_cast<uint64_t>(i);
      r.stages.classes.row(c).ns[kStageWakeup] += 5000;
      r.stages.classes.row(c).count += 1;
      r.stages.hist[kStageRunq].record(15000);
      r.stages.split = 1 + static_cast<uint64_t>(i % 4);
    }
    s.sockets.push_back(r);
  }
  for (uint32_t t = 0; t < 12; t++) {
    ThreadRow th;
    th.pid = 100 + t % 5;
    th.tid = th.pid + t % 2 + 1000 * (t / 5);
    th.comm = t % 3 ? "redis-server" : "worker";
    th.wait[kWaitEpoll].calls = t % 4 * 10;
    th.wait[kWaitEpoll].events = t * 7;
    th.runq.record(1000 + 100 * t);
    if (t % 2) th.stages = s.sockets[1].stages;
    s.threads.push_back(th);
  }
  for (int cpu = 0; cpu < 3; cpu++) {
    CpuRow c;
    c.cpu = cpu;
    c.count[3] = static_cast<uint64_t>(cpu * 10);
    c.time_ns[3] = static_cast<uint64_t>(cpu) * 1000000;
    s.cpus.push_back(c);
  }
  return s;
}

Frame frame_of(Snapshot s) {
  auto events = std::make_shared<std::deque<ConnEvent>>();
  for (size_t i = 0; i < 30 && i < s.sockets.size(); i++) {
    ConnEvent e;
    e.close = i % 2;
    e.time = 1000 + static_cast<double>(i % 4);
    e.key = s.sockets[i].key;
    e.pid = s.sockets[i].pid;
    e.comm = s.sockets[i].comm;
    e.local = s.sockets[i].local;
    e.remote = s.sockets[i].remote;
    e.duration_s = static_cast<double>(i);
    e.bytes_in = i * 10;
    events->push_back(e);
  }
  Frame f;
  f.snap = std::make_shared<const Snapshot>(std::move(s));
  f.conns = std::move(events);
  f.index = 1;
  return f;
}

// The view's rows in the frame's order, every cell formatted.
std::vector<Row> formatted(const View& v, const Frame& f) {
  SortedRows unsorted;
  unsorted.build(v, f, SortSpec{-1, false}, "");
  return unsorted.all();
}

}  // namespace

TEST_CASE("row key: spells socket_key and compares as that string") {
  std::vector<SocketKey> ks = {{0xa, 1}, {0x10, 1}, {0xffff888100000040ULL, 123456789012345ULL},
                               {0, 0}, {~0ULL, ~0ULL}, {0xab, 99}};
  for (const auto& a : ks) {
    RowKey k;
    add_socket_key(k, a);
    CHECK(k.str() == socket_key(a));
    CHECK(is_socket_key(socket_key(a), a));
    RowKey close;
    add_socket_key(close.add("close."), a);
    CHECK(close.str() == "close." + socket_key(a));  // the longest key fits
    for (const auto& b : ks) {
      RowKey kb;
      add_socket_key(kb, b);
      CHECK((k < kb) == (socket_key(a) < socket_key(b)));
    }
  }
  CHECK_FALSE(is_socket_key("a.2", SocketKey{0xa, 1}));
  // Compared as strings, whatever their lengths, also after clear().
  std::vector<std::string> texts = {"", "1", "10", "1.5", "2", "open.", "close.", "ffff888100000040",
                                    "ffff888100000040.1", "ffff888100000040.12", "ffff88810000004.1",
                                    "ffff8881000000400", "t10", "s" + std::string(46, 'z')};
  for (const auto& a : texts)
    for (const auto& b : texts) {
      RowKey ka, kb;
      kb.add("some longer text, cleared before use").clear();
      ka.add(a);
      kb.add(b);
      INFO(a << " vs " << b);
      CHECK((ka < kb) == (a < b));
      CHECK((ka.compare(kb) == 0) == (a == b));
    }
  RowKey cpu;
  cpu.add_int(-1).add(".").add_int(3);
  CHECK(cpu == "-1.3");
}

TEST_CASE("sorted rows: every view and column sorts as sort_rows() sorts the formatted rows") {
  Frame f = frame_of(varied(120));
  auto views = make_views();
  for (const auto& v : views) {
    std::vector<Row> all = formatted(*v, f);
    REQUIRE(!all.empty());
    for (int c = 0; c < static_cast<int>(v->columns().size()); c++) {
      for (bool reverse : {false, true}) {
        INFO(v->name() << " column " << v->columns()[static_cast<size_t>(c)].id << " reverse " << reverse);
        SortSpec spec{c, reverse};
        std::vector<Row> want = all;
        sort_rows(want, v->columns(), spec);
        SortedRows got;
        got.build(*v, f, spec, "");
        CHECK(keys_of(got) == keys_of(want));
        std::vector<Row> rows = got.all();
        REQUIRE(rows.size() == want.size());
        for (size_t i = 0; i < rows.size(); i++) {
          REQUIRE(rows[i].cells.size() == want[i].cells.size());
          for (size_t k = 0; k < rows[i].cells.size(); k++) {
            CHECK(rows[i].cells[k].text == want[i].cells[k].text);
            CHECK(rows[i].cells[k].alt == want[i].cells[k].alt);
          }
        }
      }
    }
  }
}

TEST_CASE("sorted rows: a filter keeps the rows filter_rows() keeps; find() is find_row()") {
  Frame f = frame_of(varied(60));
  auto views = make_views();
  for (const auto& v : views) {
    std::vector<Row> all = formatted(*v, f);
    for (const std::string needle : {"redis", "CLOSE", "::1", "x3", "nothing at all", "-"}) {
      INFO(v->name() << " filter " << needle);
      std::vector<Row> want = all;
      filter_rows(want, needle);
      SortSpec spec{v->default_sort(), false};
      sort_rows(want, v->columns(), spec);
      SortedRows got;
      got.build(*v, f, spec, needle);
      CHECK(keys_of(got) == keys_of(want));

      SortedRows unfiltered;
      unfiltered.build(*v, f, spec, "");
      std::vector<Row> sorted = unfiltered.all();
      for (int from : {-1, 0, 3, 59}) CHECK(unfiltered.find(needle, from) == find_row(sorted, needle, from));
    }
  }
}

namespace {

// A view that counts the texts it is asked to format.
class CountingView : public View {
 public:
  explicit CountingView(size_t n) : n_(n) {}
  const char* name() const override { return "Counting"; }
  const std::vector<Column>& columns() const override {
    static const std::vector<Column> cols = {
        {"value", "VALUE", 6, Align::Right, 1, true, false, false},
        {"name", "NAME", 6, Align::Left, 2, false, false, false},
    };
    return cols;
  }
  int default_sort() const override { return 0; }
  size_t items(const Frame&) const override { return n_; }
  bool write_row(const Frame&, size_t item, RowWriter& w) const override {
    w.key().add_int(item);
    w.num(0, static_cast<double>(item % 10), [&](double v) {
      texts++;
      return std::to_string(v);
    });
    w.text(1, [&] {
      texts++;
      return "row" + std::to_string(item);
    });
    return true;
  }
  Detail detail(const Frame&, const std::string&) const override { return {}; }
  mutable int texts = 0;

 private:
  size_t n_;
};

}  // namespace

TEST_CASE("sorted rows: a refresh formats no text; a drawn row formats its own; a filter formats all") {
  CountingView v(10000);
  Frame f;
  SortedRows rows;
  rows.build(v, f, SortSpec{0, false}, "");
  CHECK(v.texts == 0);
  REQUIRE(rows.size() == 10000);
  CHECK(rows.key(0) == "1009");  // value 9, the smallest key string among them
  Row r = rows.row(0);
  CHECK(v.texts == 2);
  CHECK(r.key == "1009");
  CHECK(r.cells[1].text == "row1009");
  // A text sort column needs that column's text, and only it.
  v.texts = 0;
  rows.build(v, f, SortSpec{1, false}, "");
  CHECK(v.texts == 10000);
  CHECK(rows.key(0) == "0");
  CHECK(rows.key(1) == "1");
  CHECK(rows.key(2) == "10");
  v.texts = 0;
  rows.build(v, f, SortSpec{0, false}, "row12");
  CHECK(v.texts == 20000);
  CHECK(rows.size() == 111);  // 12, 120-129, 1200-1299
}

TEST_CASE("top model: the selection reaches and follows any of 10,000 rows; the screen's rows are formatted on demand") {
  auto sockets = [](uint64_t hot) {
    Snapshot s;
    s.seq = hot;
    s.start_time = 1000;
    s.end_time = 1001;
    for (uint64_t i = 0; i < 10000; i++) {
      SocketRow r;
      r.key = {0x1000 + i, 1};
      r.pid = 7;
      r.comm = "srv";
      r.fd = static_cast<int>(i);
      r.local = "127.0.0.1:6379";
      r.remote = "127.0.0.1:" + std::to_string(20000 + i);
      r.ready = i == hot ? 1000 : i % 50;
      s.sockets.push_back(r);
    }
    return s;
  };
  TopModel m(1.0);
  m.set_table_height(40);
  m.ingest(sockets(1));
  REQUIRE(m.sorted().size() == 10000);
  CHECK(m.sorted().row(0).cells[5].text == "1000");
  handle_key(m, KEY_END);
  const std::string last = m.vstate().sel.key;
  CHECK(m.vstate().sel.index == 9999);
  CHECK(m.vstate().sel.top == 9960);
  CHECK(m.sorted().row(9999).key == last);
  // The next interval puts it on top: the selection goes with it.
  Snapshot next = sockets(2);
  for (auto& r : next.sockets)
    if (socket_key(r.key) == last) r.ready = 5000;
  m.ingest(std::move(next));
  CHECK(m.vstate().sel.key == last);
  CHECK(m.vstate().sel.index == 0);
  CHECK(m.vstate().sel.top == 0);
  // Search reaches rows far below the screen.
  handle_key(m, '/');
  for (char c : std::string("29876")) handle_key(m, c);
  handle_key(m, '\r');
  CHECK(m.sorted().row(m.vstate().sel.index).cells[3].text.find("29876") != std::string::npos);
  CHECK(m.vstate().sel.index >= m.vstate().sel.top);
  CHECK(m.vstate().sel.index < m.vstate().sel.top + 40);
}

TEST_CASE("top model: the connection log is copied only when it changed") {
  Snapshot s;
  s.seq = 1;
  s.start_time = 1000;
  s.end_time = 1001;
  SocketRow r;
  r.key = {0xa, 1};
  r.open_time = 1000.5;
  s.sockets.push_back(r);
  TopModel m(1.0);
  m.ingest(s);
  REQUIRE(m.shown().conns->size() == 1);
  const auto* log = m.shown().conns.get();
  s.seq = 2;
  s.start_time = 1001;
  s.end_time = 1002;
  m.ingest(s);
  CHECK(m.shown().conns.get() == log);
  s.sockets[0].close_time = 1002.5;
  s.seq = 3;
  m.ingest(s);
  CHECK(m.shown().conns.get() != log);
  CHECK(m.shown().conns->size() == 2);
}
