// The top screen's state without a terminal: views, keys, pause, filter,
// search, detail, connection log, replay filter, header, batch frame.
#define NCURSES_NOMACROS 1
#include <curses.h>

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "core/model/snapshot_json.hpp"
#include "tui/batch.hpp"
#include "tui/detail_pane.hpp"
#include "tui/header.hpp"
#include "tui/source.hpp"
#include "tui/top_model.hpp"

using namespace pollscope;
using namespace pollscope::tui;

namespace {

SocketRow sock(uint64_t sk, uint32_t pid, const char* comm, int fd, uint16_t rport, uint64_t ready) {
  SocketRow r;
  r.key = {sk, 1};
  r.pid = pid;
  r.tid = pid;
  r.comm = comm;
  r.fd = fd;
  r.proto = "tcp";
  r.local = "127.0.0.1:6379";
  r.remote = "127.0.0.1:" + std::to_string(rport);
  r.state = "ESTABLISHED";
  r.ready = ready;
  r.reads = ready;
  for (uint64_t i = 0; i < ready; i++) r.ready_to_read.record(1000 + 100 * i);
  r.wakeups = ready / 2;
  return r;
}

Snapshot snap(uint64_t seq, std::vector<SocketRow> socks) {
  Snapshot s;
  s.seq = seq;
  s.start_time = 1000 + static_cast<double>(seq);
  s.end_time = s.start_time + 1;
  s.sockets = std::move(socks);
  ThreadRow t;
  t.pid = 10;
  t.tid = 10;
  t.comm = "redis-server";
  t.wait[kWaitEpoll].calls = 100;
  t.wait[kWaitEpoll].events = 300;
  t.wait[kWaitEpoll].blocked.record(500000000);  // half the interval
  t.runq.record(4000);
  s.threads.push_back(t);
  CpuRow c;
  c.cpu = 0;
  c.count[3] = 100;
  c.time_ns[3] = 10000000;  // 1% of the second
  s.cpus.push_back(c);
  ProbeHealth ok{"sock:sk_data_ready", "sock", "tp_btf", true, "", "p", 10, 1000};
  ProbeHealth missing{"syscalls:sys_enter_select", "syscalls", "none", false, "no tracefs", "", 0, 0};
  s.health.probes = {ok, missing};
  s.health.self_cost = true;
  return s;
}

Snapshot three() {
  return snap(1, {sock(0xa, 10, "redis-server", 8, 50001, 30), sock(0xb, 10, "redis-server", 9, 50002, 20),
                  sock(0xc, 20, "sshd", 4, 22, 10)});
}

}  // namespace

TEST_CASE("top model: starts on Sockets sorted by READY/s, keys 1-4 and Tab switch views") {
  TopModel m(1.0);
  m.ingest(three());
  CHECK(std::string(m.view().name()) == "Sockets");
  REQUIRE(m.rows().size() == 3);
  CHECK(m.rows()[0].cells[1].text == "redis-server");
  CHECK(m.rows()[0].cells[5].text == "30");
  CHECK(handle_key(m, '2') == HandlerResult::Rebuild);
  CHECK(std::string(m.view().name()) == "Threads");
  CHECK(m.rows().size() == 1);
  handle_key(m, '\t');
  CHECK(std::string(m.view().name()) == "CPUs");
  CHECK(m.rows().size() == static_cast<size_t>(kSoftirqVectors));
  CHECK(m.rows()[0].cells[1].text == "NET_RX");
  handle_key(m, '\t');
  CHECK(std::string(m.view().name()) == "Connections");
  handle_key(m, '\t');
  CHECK(std::string(m.view().name()) == "Stages");
  handle_key(m, '\t');
  CHECK(std::string(m.view().name()) == "Sockets");
  handle_key(m, KEY_BTAB);
  CHECK(std::string(m.view().name()) == "Stages");
  CHECK(handle_key(m, '4') == HandlerResult::Rebuild);
  CHECK(std::string(m.view().name()) == "Connections");
}

TEST_CASE("top model: < > move the sort column, R reverses, the selection follows its row") {
  TopModel m(1.0);
  m.ingest(three());
  m.set_table_height(10);
  handle_key(m, KEY_DOWN);  // the 20/s socket
  std::string key = m.vstate().sel.key;
  CHECK(m.rows()[1].key == key);
  handle_key(m, 'R');  // ascending: 10, 20, 30
  CHECK(m.vstate().sort.reverse);
  CHECK(m.rows()[0].cells[5].text == "10");
  CHECK(m.vstate().sel.key == key);
  CHECK(m.vstate().sel.index == 1);
  int before = m.vstate().sort.column;
  handle_key(m, '>');
  CHECK(m.vstate().sort.column == before + 1);
  handle_key(m, '<');
  handle_key(m, '<');
  CHECK(m.vstate().sort.column == before - 1);
  // New data re-sorted: the selection still follows the same socket.
  handle_key(m, 'R');
  m.ingest(snap(2, {sock(0xa, 10, "redis-server", 8, 50001, 1), sock(0xb, 10, "redis-server", 9, 50002, 20),
                    sock(0xc, 20, "sshd", 4, 22, 10)}));
  CHECK(m.vstate().sel.key == key);
}

TEST_CASE("top model: filter and search act as you type; Esc restores the filter") {
  TopModel m(1.0);
  m.ingest(three());
  handle_key(m, '\\');
  CHECK(m.prompt == PromptKind::Filter);
  for (char c : std::string("sshd")) handle_key(m, c);
  CHECK(m.rows().size() == 1);
  handle_key(m, '\r');
  CHECK(m.prompt == PromptKind::None);
  CHECK(m.vstate().filter == "sshd");
  CHECK(m.rows().size() == 1);
  handle_key(m, '\\');
  handle_key(m, KEY_BACKSPACE);
  CHECK(m.rows().size() == 1);  // "ssh" still matches
  handle_key(m, 27);            // Esc: back to "sshd"
  CHECK(m.vstate().filter == "sshd");
  handle_key(m, 27);            // Esc outside a prompt clears the filter
  CHECK(m.rows().size() == 3);
  handle_key(m, '/');
  for (char c : std::string("50002")) handle_key(m, c);
  handle_key(m, '\r');
  CHECK(m.vstate().sel.index == 1);
  handle_key(m, '/');
  for (char c : std::string("redis")) handle_key(m, c);
  handle_key(m, '\r');
  CHECK(m.vstate().sel.index == 1);  // the current row matches: stays
  handle_key(m, 'n');
  CHECK(m.vstate().sel.index == 0);  // next match wraps around
  handle_key(m, '/');
  for (char c : std::string("nothing")) handle_key(m, c);
  handle_key(m, '\r');
  CHECK(m.message.find("no match") != std::string::npos);
}

TEST_CASE("top model: Z freezes the screen while data keeps coming") {
  TopModel m(1.0);
  m.ingest(three());
  handle_key(m, 'Z');
  CHECK(m.paused);
  m.ingest(snap(2, {sock(0xd, 30, "nginx", 5, 80, 99)}));
  CHECK(m.ingested() == 2);
  CHECK(m.rows().size() == 3);
  CHECK(m.shown().snap->seq == 1);
  handle_key(m, 'Z');
  CHECK_FALSE(m.paused);
  CHECK(m.rows().size() == 1);
  CHECK(m.shown().snap->seq == 2);
}

TEST_CASE("top model: Enter opens the detail pane with histograms, Backspace and Esc return") {
  TopModel m(1.0);
  m.ingest(three());
  handle_key(m, '\r');
  REQUIRE(m.detail);
  Detail d = m.view().detail(m.shown(), m.vstate().sel.key);
  auto lines = render_detail(d, 80);
  bool has_hist = false, has_stage = false;
  for (const auto& l : lines) {
    has_hist |= l.text.find("|#") != std::string::npos;
    has_stage |= l.text.find("No stage split for this socket") != std::string::npos;
  }
  CHECK(has_hist);
  CHECK(has_stage);
  handle_key(m, KEY_BACKSPACE);
  CHECK_FALSE(m.detail);
  handle_key(m, '\r');
  handle_key(m, 27);
  CHECK_FALSE(m.detail);
  handle_key(m, 'h');
  CHECK(m.help);
  handle_key(m, 'x');
  CHECK_FALSE(m.help);
  CHECK(handle_key(m, 'q') == HandlerResult::Quit);
}

namespace {

// A readiness of `total` ns split as wakeup w, runq total - w, in its class.
void add_split(StageStats& st, uint64_t w, uint64_t total) {
  int c = StageStats::class_of(total);
  st.classes.row(c).ns[kStageWakeup] += w;
  st.classes.row(c).ns[kStageRunq] += total - w;
  st.classes.row(c).count += 1;
  st.hist[kStageWakeup].record(w);
  st.hist[kStageRunq].record(total - w);
  st.split += 1;
}

}  // namespace

TEST_CASE("top model: the Stages view has a row per thread and socket with a split; its detail pane judges the row") {
  Snapshot s = three();
  // 30 fast readiness events woken quickly, 5 slow ones that waited in the run queue.
  StageStats st;
  for (int i = 0; i < 30; i++) add_split(st, 2000, 3000);
  for (int i = 0; i < 5; i++) add_split(st, 2000, 20000000);
  s.threads[0].stages = st;
  s.sockets[0].stages = st;
  for (int i = 0; i < 5; i++) s.sockets[0].ready_to_read.record(20000000);
  TopModel m(1.0);
  m.ingest(std::move(s));
  REQUIRE(m.set_view("stages"));
  CHECK(std::string(m.view().name()) == "Stages");
  REQUIRE(m.rows().size() == 2);  // the thread and the one socket with a split
  const auto& cols = m.view().columns();
  int kind = column_index(cols, "kind"), tail = column_index(cols, "tail"), runq = column_index(cols, "runq-share");
  REQUIRE(kind >= 0);
  REQUIRE(tail >= 0);
  REQUIRE(runq >= 0);
  for (const auto& r : m.rows()) {
    CHECK(r.cells[static_cast<size_t>(tail)].text == "runq 100%");
    CHECK(r.cells[static_cast<size_t>(runq)].num > 99.0);  // runq holds almost all the time
  }
  // The thread's detail: the verdict (late: p99 20 ms) names runq; the stage table follows.
  std::string thread_key;
  for (const auto& r : m.rows())
    if (r.cells[static_cast<size_t>(kind)].text == "thr") thread_key = r.key;
  REQUIRE(!thread_key.empty());
  auto lines = render_detail(m.view().detail(m.shown(), thread_key), 100);
  bool verdict = false, late = false, table = false, runq_line = false;
  for (const auto& l : lines) {
    verdict |= l.text.find("Verdict for thread 10") != std::string::npos;
    late |= l.text.find("LATE") != std::string::npos;
    table |= l.text.find("Stages of 35 readiness events") != std::string::npos;
    runq_line |= l.text.find("runq dominates the tail") != std::string::npos;
  }
  CHECK(verdict);
  CHECK(late);
  CHECK(table);
  CHECK(runq_line);
  // The Threads view's detail carries the same verdict.
  m.set_view("threads");
  lines = render_detail(m.view().detail(m.shown(), "10"), 100);
  bool threads_verdict = false;
  for (const auto& l : lines) threads_verdict |= l.text.find("Verdict for thread 10") != std::string::npos;
  CHECK(threads_verdict);
}

TEST_CASE("top model: batch frames write every view's rows as render_table() renders them") {
  Snapshot s = three();
  StageStats st;
  for (int i = 0; i < 30; i++) add_split(st, 2000, 3000);
  s.threads[0].stages = st;
  s.sockets[0].stages = st;
  // A long name and addresses: columns as wide as their widest cell.
  SocketRow wide = sock(0xd, 30, "a-rather-long-command-name", 11, 50004, 3);
  wide.local = "[2001:db8::1234:5678]:443";
  wide.remote = "";
  s.sockets.push_back(wide);
  s.sockets[1].close_time = 1001.5;
  TopModel m(1.0);
  m.ingest(three());
  m.ingest(std::move(s));  // the Connections view logs what changed
  for (const char* view : {"sockets", "threads", "cpus", "connections", "stages"}) {
    INFO(view);
    REQUIRE(m.set_view(view));
    REQUIRE(m.sorted().size() > 0);
    HeaderInfo info;
    const std::string frame = batch_frame(m, info);
    const std::string table = render_table(m.view().columns(), m.sorted().all(), m.vstate().sort, 0) + "\n";
    REQUIRE(frame.size() > table.size());
    CHECK(frame.compare(frame.size() - table.size(), table.size(), table) == 0);
  }
}

TEST_CASE("top model: d changes the delay, refusing bad values") {
  TopModel m(1.0);
  handle_key(m, 'd');
  for (char c : std::string("0.5")) handle_key(m, c);
  CHECK(handle_key(m, '\r') == HandlerResult::DelayChanged);
  CHECK(m.delay_s == Approx(0.5));
  handle_key(m, 'd');
  for (char c : std::string("abc")) handle_key(m, c);
  CHECK(handle_key(m, '\r') == HandlerResult::Redraw);
  CHECK(m.delay_s == Approx(0.5));
  CHECK(m.message.find("invalid delay") != std::string::npos);
}

TEST_CASE("top model: the Connections view logs opens and closes with duration and bytes") {
  TopModel m(1.0);
  Snapshot s1 = three();
  s1.sockets[0].open_time = s1.start_time + 0.5;  // opened in this interval
  s1.sockets[0].read_bytes = 100;
  m.ingest(s1);
  Snapshot s2 = snap(2, {sock(0xa, 10, "redis-server", 8, 50001, 3)});
  s2.sockets[0].open_time = s1.start_time + 0.5;
  s2.sockets[0].close_time = s2.start_time + 0.2;
  s2.sockets[0].age_s = 1.7;
  s2.sockets[0].read_bytes = 50;
  m.ingest(s2);
  m.ingest(snap(3, {}));
  m.select_view(3);
  REQUIRE(m.rows().size() == 2);
  CHECK(m.rows()[0].cells[1].text == "CLOSE");  // newest first
  CHECK(m.rows()[0].cells[5].text == "1.70s");
  CHECK(m.rows()[0].cells[6].text == "150");
  CHECK(m.rows()[1].cells[1].text == "OPEN");
}

TEST_CASE("top model: --sort and --view names, and the replay filter") {
  TopModel m(1.0, FilterSpec{{}, {22}, ""});
  CHECK(m.set_sort("ready-read-p99"));
  CHECK_FALSE(m.set_sort("bogus"));
  CHECK(m.set_view("threads"));
  CHECK(std::string(m.view().name()) == "Threads");
  CHECK(m.set_view("conn"));
  CHECK_FALSE(m.set_view("nope"));
  m.select_view(0);
  m.ingest(three());
  REQUIRE(m.rows().size() == 1);
  CHECK(m.rows()[0].cells[1].text == "sshd");
  CHECK(m.shown().snap->filters == "port 22");
  CHECK(m.shown().snap->threads.empty());  // no kept socket is owned by pid 10
  CHECK(port_of("[::1]:8080") == 8080);
  CHECK(port_of("nope") == 0);
}

TEST_CASE("top header: totals per second, health with drops, missing probes and cost") {
  Snapshot s = three();
  s.health.drops["socks"] = 5;
  HeaderInfo info;
  info.source = "replay 1/1";
  info.end_of_recording = true;
  auto lines = header_lines(&s, info);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].find("end of recording") != std::string::npos);
  CHECK(lines[1].find("ready 60") != std::string::npos);
  CHECK(lines[1].find("epoll 100") != std::string::npos);
  CHECK(lines[1].find("NET_RX 1.0%") != std::string::npos);
  CHECK(lines[2].find("drops 5 (socks 5)") != std::string::npos);
  // Lost events lead the line (and colour it): the figures are incomplete.
  CHECK(lines[2].rfind("INCOMPLETE: ", 0) == 0);
  CHECK(compute_totals(s).incomplete);
  CHECK(lines[2].find("probes 1/2") != std::string::npos);
  CHECK(lines[2].find("missing syscalls:sys_enter_select (no tracefs)") != std::string::npos);
  CHECK(lines[3].find("Sockets 3") != std::string::npos);
  Totals t = compute_totals(s);
  CHECK(t.cost_ns_per_event == Approx(100));
}

TEST_CASE("top detail: log2 histogram bars span the non-empty slots") {
  Log2Histogram h;
  for (int i = 0; i < 8; i++) h.record(1500);    // slot 10: 1.0us-2.0us
  h.record(5000000);                              // slot 22
  auto lines = render_histogram("lat", h, 80);
  REQUIRE(lines.size() == 1 + 13);
  CHECK(lines[0].heading);
  CHECK(lines[0].text.find("n=9") != std::string::npos);
  CHECK(lines[1].text.find("1.0us-2.0us") != std::string::npos);
  CHECK(lines[1].text.find("##########") != std::string::npos);
  CHECK(lines[13].text.find("|#") != std::string::npos);  // a single sample still shows
  for (const auto& l : lines) CHECK(l.text.size() <= 80);
  CHECK(render_histogram("none", Log2Histogram{}, 80)[0].text.find("no samples") != std::string::npos);
}

TEST_CASE("top batch: a frame is the header block, the view status and the plain table") {
  char dir[] = "/tmp/pollscope-top-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string path = std::string(dir) + "/r.jsonl";
  {
    RecordingWriter w(path);
    w.write(three());
    w.write(snap(2, {}));
  }
  // Small recordings are held, large ones read again a line at a time.
  for (uint64_t hold : {ReplaySource::kHoldBytes, uint64_t{0}}) {
    INFO("hold up to " << hold << " bytes");
    auto streamed = ReplaySource::open(path, hold);
    Snapshot a, b;
    REQUIRE(streamed->next(&a));
    REQUIRE(streamed->next(&b));
    CHECK_FALSE(streamed->next(&b));
    CHECK(a.sockets.size() == 3);
    CHECK(b.seq == 2);
    CHECK(streamed->label(2) == "replay 2/2");
  }
  auto replay = ReplaySource::open(path, 0);
  ReplaySource& src = *replay;
  CHECK(src.size() == 2);
  Snapshot s;
  REQUIRE(src.next(&s));
  CHECK(s.sockets.size() == 3);
  CHECK(src.label(1) == "replay 1/2");
  TopModel m(1.0);
  m.ingest(s);
  HeaderInfo info;
  info.source = src.label(1);
  std::string f = batch_frame(m, info);
  CHECK(f.rfind("pollscope top - ", 0) == 0);
  CHECK(f.find("Sockets: 3 rows, sort READY/s desc") != std::string::npos);
  CHECK(f.find("127.0.0.1:6379->127.0.0.1:50001") != std::string::npos);
  CHECK(f.find('\x1b') == std::string::npos);
  REQUIRE(src.next(&s));
  CHECK(s.seq == 2);
  CHECK_FALSE(src.next(&s));
  std::remove(path.c_str());
  ::rmdir(dir);
}

TEST_CASE("top model: an interval nothing shows any more is handed back for reuse, one shown while paused is not") {
  TopModel m(1.0);
  CHECK(m.take_retired().sockets.empty());  // nothing ingested
  m.ingest(three());
  CHECK(m.take_retired().sockets.empty());  // the first replaced nothing
  m.ingest(snap(2, {sock(0xd, 10, "redis-server", 10, 50003, 5)}));
  Snapshot first = m.take_retired();
  CHECK(first.seq == 1);
  CHECK(first.sockets.size() == 3);
  CHECK(m.take_retired().sockets.empty());  // handed back once
  // The frame on screen stays while paused: the interval it shows is not
  // handed back when a later one replaces the latest.
  CHECK(handle_key(m, 'Z') != HandlerResult::Ignored);
  REQUIRE(m.paused);
  m.ingest(three());
  CHECK(m.take_retired().seq == 0);  // interval 2 is on screen
  CHECK(m.shown().snap->seq == 2);
  m.ingest(snap(4, {}));
  CHECK(m.take_retired().seq == 1);  // interval 3 (seq 1 again) was never shown
  CHECK(m.shown().snap->seq == 2);
  CHECK(m.shown().snap->sockets.size() == 1);
}

TEST_CASE("top model: batch mode releases a printed frame, and its interval is handed back") {
  TopModel m(1.0);
  m.ingest(three());
  HeaderInfo info;
  const std::string frame = batch_frame(m, info);
  // Written in pieces to a file: the same text as the frame made whole.
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  CHECK(write_batch_frame(m, info, f));
  std::rewind(f);
  std::string written(frame.size() + 10, '\0');
  written.resize(std::fread(&written[0], 1, written.size(), f));
  std::fclose(f);
  CHECK(written == frame);
  m.release_frame();
  CHECK_FALSE(m.has_data());
  CHECK(m.sorted().size() == 0);
  Snapshot back = m.take_retired();
  CHECK(back.seq == 1);
  CHECK(back.sockets.size() == 3);
  // The next interval is shown as usual.
  m.ingest(snap(2, {sock(0xd, 10, "redis-server", 10, 50003, 5)}));
  CHECK(m.has_data());
  CHECK(m.sorted().size() == 1);
  CHECK(m.take_retired().sockets.empty());
}
