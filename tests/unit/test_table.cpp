// The shared table engine (core/render/table): sorting, filtering, search,
// column fitting, rendering; and top's selection following its key.
#include <catch2/catch.hpp>
#include <algorithm>
#include <random>

#include "core/render/format.hpp"
#include "core/render/table.hpp"
#include "core/render/text_rows.hpp"
#include "tui/selection.hpp"

using namespace pollscope;
using pollscope::tui::Selection;

namespace {

std::vector<Column> cols() {
  return {
      {"name", "NAME", 6, Align::Left, 1, false, false, false},
      {"rate", "RATE", 6, Align::Right, 2, true, false, false},
      {"addr", "ADDR", 8, Align::Left, 3, false, true, true},
      {"extra", "EXTRA", 6, Align::Right, 9, true, false, false},
  };
}

Row row(const std::string& key, const std::string& name, double rate, const std::string& addr = "a") {
  return Row{key, {Cell{name, 0, ""}, Cell{format_rate(rate), rate, ""}, Cell{addr, 0, ""}, Cell{"x", 1, ""}}};
}

std::vector<std::string> keys(const std::vector<Row>& rows) {
  std::vector<std::string> k;
  for (const auto& r : rows) k.push_back(r.key);
  return k;
}

}  // namespace

TEST_CASE("top table: numeric columns sort descending, text ascending, R reverses, ties by key") {
  std::vector<Row> rows = {row("a", "zeta", 5), row("b", "alpha", 50), row("c", "mid", 5), row("d", "beta", 0.5)};
  sort_rows(rows, cols(), {1, false});
  CHECK(keys(rows) == std::vector<std::string>{"b", "a", "c", "d"});
  sort_rows(rows, cols(), {1, true});
  CHECK(keys(rows) == std::vector<std::string>{"d", "a", "c", "b"});
  sort_rows(rows, cols(), {0, false});
  CHECK(keys(rows) == std::vector<std::string>{"b", "d", "c", "a"});
  sort_rows(rows, cols(), {0, true});
  CHECK(keys(rows) == std::vector<std::string>{"a", "c", "d", "b"});
  // Identifiers (ascending) sort like text: smallest first.
  auto c = cols();
  c[1].ascending = true;
  sort_rows(rows, c, {1, false});
  CHECK(keys(rows) == std::vector<std::string>{"d", "a", "c", "b"});
}

TEST_CASE("top table: filter and search are case-insensitive substring matches on the cells") {
  std::vector<Row> rows = {row("a", "redis-server", 5), row("b", "sshd", 50), row("c", "Redis-cli", 1)};
  CHECK(find_row(rows, "REDIS", 0) == 0);
  CHECK(find_row(rows, "redis", 1) == 2);
  CHECK(find_row(rows, "redis", 3) == 0);  // out of range starts over
  CHECK(find_row(rows, "nginx", 0) == -1);
  CHECK(find_row(rows, "", 0) == -1);
  auto f = rows;
  filter_rows(f, "redis");
  CHECK(keys(f) == std::vector<std::string>{"a", "c"});
  f = rows;
  filter_rows(f, "");
  CHECK(f.size() == 3);
}

TEST_CASE("top table: column_index finds ids and titles, any case") {
  CHECK(column_index(cols(), "rate") == 1);
  CHECK(column_index(cols(), "ADDR") == 2);
  CHECK(column_index(cols(), "nope") == -1);
}

TEST_CASE("top table: fitting keeps columns by priority and the sort column, flex takes the spare") {
  std::vector<Row> rows = {row("a", "n", 1, "127.0.0.1:6379->127.0.0.1:50000")};
  auto all = fit_columns(cols(), rows, 0, 1);
  REQUIRE(all.size() == 4);
  CHECK(all[2].width == 31);  // batch: the widest cell
  // 6+1+6+1+8 = 22: NAME RATE ADDR fit in 24, EXTRA (priority 9) does not.
  auto narrow = fit_columns(cols(), rows, 24, 1);
  REQUIRE(narrow.size() == 3);
  CHECK(narrow[0].column == 0);
  CHECK(narrow[2].column == 2);
  CHECK(narrow[2].width == 10);  // 8 + the 2 spare columns
  // The sort column is kept even with the lowest priority.
  auto keep = fit_columns(cols(), rows, 24, 3);
  bool has_extra = false;
  for (auto f : keep) has_extra |= f.column == 3;
  CHECK(has_extra);
  // Never wider than asked.
  for (int w : {5, 10, 20, 30, 80}) {
    auto f = fit_columns(cols(), rows, w, 1);
    int used = -1;
    for (auto x : f) used += x.width + 1;
    CHECK(used <= w);
  }
}

TEST_CASE("top table: rendering pads, cuts, marks the sort column and uses the short text") {
  std::vector<Row> rows = {row("a", "redis-server", 1234, "127.0.0.1:6379->127.0.0.1:50000")};
  rows[0].cells[2].alt = ":6379->127.0.0.1:50000";
  auto fitted = fit_columns(cols(), rows, 30, 1);
  std::string h = render_header(cols(), fitted, {1, false});
  CHECK(h.find("RATEv") != std::string::npos);
  CHECK(render_header(cols(), fitted, {1, true}).find("RATE^") != std::string::npos);
  std::string line = render_row(cols(), fitted, rows[0]);
  CHECK(line.size() <= 30);
  CHECK(line.rfind("redis+", 0) == 0);          // cut on the right, marked
  CHECK(line.find("50000") != std::string::npos);  // flex keeps the end
  std::string text = render_table(cols(), rows, {1, false}, 0);
  CHECK(text.find("127.0.0.1:6379->127.0.0.1:50000") != std::string::npos);
  CHECK(text.find(" \n") == std::string::npos);  // no trailing spaces
}

TEST_CASE("top table: the selection follows its key across re-sorting, else keeps its place") {
  std::vector<Row> rows = {row("a", "a", 3), row("b", "b", 2), row("c", "c", 1)};
  Selection sel;
  sel.follow(rows, 10);
  CHECK(sel.key == "a");
  sel.step(rows, 1, 10);
  CHECK(sel.key == "b");
  CHECK(sel.index == 1);
  sort_rows(rows, cols(), {1, true});  // c, b, a
  sel.follow(rows, 10);
  CHECK(sel.key == "b");
  sort_rows(rows, cols(), {0, true});  // c b a by name desc
  rows.erase(rows.begin() + 1);        // b disappears
  sel.follow(rows, 10);
  CHECK(sel.index == 1);
  CHECK(sel.key == "a");
  sel.step(rows, 100, 10);
  CHECK(sel.index == 1);
  sel.step(rows, -100, 10);
  CHECK(sel.index == 0);
}

TEST_CASE("top table: scrolling keeps the selection in view") {
  std::vector<Row> rows;
  for (int i = 0; i < 50; i++) rows.push_back(row(std::to_string(100 + i), "n", 50 - i));
  Selection sel;
  sel.follow(rows, 10);
  sel.step(rows, 25, 10);
  CHECK(sel.index == 25);
  CHECK(sel.top == 16);
  sel.move_to(rows, 49, 10);
  CHECK(sel.top == 40);
  sel.move_to(rows, 0, 10);
  CHECK(sel.top == 0);
}

TEST_CASE("table: a fixed layout aligns, grows to its widest cell, cuts at max_width with '+'") {
  std::vector<Column> c = {fixed_column("PID", 5, Align::Right), fixed_column("COMM", 6, Align::Left, 6),
                           fixed_column("ADDR", 8, Align::Left, 8, true), fixed_column("RATE", 4, Align::Right)};
  std::vector<Row> rows = {text_row({"1", "redis-server", "127.0.0.1:46954", "12.3k"}),
                           text_row({"12345678", "sh", "a:1", "0"})};
  std::string text = render_fixed_table(c, rows);
  CHECK(text ==
        "     PID COMM   ADDR      RATE\n"
        "       1 redis+ +1:46954 12.3k\n"
        "12345678 sh     a:1          0\n");
  // No sort mark, no trailing spaces, one line per row and the header.
  auto lines = table_lines(c, rows, SortSpec{-1, false}, 0);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "     PID COMM   ADDR      RATE");
  CHECK(render_fixed_table(c, {}) == "  PID COMM   ADDR     RATE\n");
}

TEST_CASE("table: a cell cut in a narrow screen is marked") {
  std::vector<Row> rows = {row("a", "redis-server", 1234, "x")};
  auto fitted = fit_columns(cols(), rows, 30, 1);
  std::string line = render_row(cols(), fitted, rows[0]);
  CHECK(line.rfind("redis+", 0) == 0);
}

TEST_CASE("table: rows kept as texts render as render_table() renders them at width 0") {
  // Cut columns (max_width) with and without a short text, a row with fewer
  // cells, empty cells, every sort mark.
  std::vector<Column> c = cols();
  c.push_back(fixed_column("COMM", 4, Align::Left, 7));
  c.push_back(fixed_column("PEER", 5, Align::Left, 9, true));
  std::mt19937 rng(3);
  auto text = [&](size_t max) {
    std::string t(rng() % (max + 1), 'a');
    for (auto& ch : t) ch = static_cast<char>('a' + rng() % 26);
    return t;
  };
  for (int round = 0; round < 20; round++) {
    std::vector<Row> rows;
    const size_t n = rng() % 40;
    for (size_t i = 0; i < n; i++) {
      Row r;
      r.key = std::to_string(i);
      const size_t cells = rng() % 8 == 0 ? rng() % c.size() : c.size();
      for (size_t k = 0; k < cells; k++) r.cells.push_back(Cell{text(14), 0, rng() % 3 == 0 ? text(5) : ""});
      rows.push_back(std::move(r));
    }
    const SortSpec sort{static_cast<int>(rng() % (c.size() + 1)) - 1, rng() % 2 == 0};
    TextRows kept(c);
    for (const auto& r : rows) kept.add(r);
    CHECK(kept.size() == rows.size());
    std::string out = "before\n";
    kept.render(sort, out);
    CHECK(out == "before\n" + render_table(c, rows, sort, 0));
    // Handed out in pieces, the same text.
    std::string pieces, buf = "before\n";
    kept.render(sort, buf, [&](std::string& t) {
      pieces += t;
      t.clear();
    });
    CHECK(pieces + buf == out);
  }
}

TEST_CASE("table: cells set one at a time, in any order, render as the same rows added whole") {
  std::vector<Column> c = cols();
  c.push_back(fixed_column("PEER", 5, Align::Left, 9, true));
  std::mt19937 rng(5);
  std::vector<Row> rows;
  TextRows kept(c);
  kept.set(0, "ignored", "");  // before any row
  for (int i = 0; i < 30; i++) {
    Row r;
    r.cells.resize(c.size());
    kept.begin_row();
    std::vector<size_t> order(c.size());
    for (size_t k = 0; k < order.size(); k++) order[k] = k;
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t k : order) {
      if (rng() % 5 == 0) continue;  // a cell not written: empty
      Cell cell{std::string(rng() % 16, static_cast<char>('a' + k)), 0, rng() % 2 ? "alt" : ""};
      kept.set(k, cell.text, cell.alt);
      r.cells[k] = cell;
    }
    kept.set(c.size(), "out of range", "");
    rows.push_back(std::move(r));
  }
  std::string out;
  kept.render({1, false}, out);
  CHECK(out == render_table(c, rows, {1, false}, 0));
}
