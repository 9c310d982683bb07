// The one number, size and time style of every text table and header (top,
// the text report, lab --compare, check), so a value prints the same way
// wherever it is shown. Pure, locale-independent, ASCII only, so batch
// output is the same everywhere.
#pragma once
#include <string>
#include <string_view>

namespace pollscope {

// Rates, counts and ratios, at most three significant digits past 9999:
// "0", "0.042", "0.35", "3.5", "812", "9999", "12.3k", "123k", "1.23M",
// "12.3G"; "-" when not a number.
std::string format_rate(double v);
// Bytes (per second or total), powers of 1024, the same digits as
// format_rate: "0", "812", "9999", "12.3K", "123K", "1.20M", "3.40G".
std::string format_bytes(double v);
// Percentages: "0.0", "12.3", "100"; "-" when not a number.
std::string format_pct(double v);
// Latency in ns for tables: "-" when there is no sample, else format_ns().
std::string format_latency(double ns, bool has_samples);
// Seconds as a duration: "0.35s", "12.0s", "5m03s", "2h05m".
std::string format_duration(double s);
// Unix seconds as local wall-clock time "HH:MM:SS" (with_ms: "HH:MM:SS.mmm").
std::string format_clock(double unix_s, bool with_ms = false);

// Fits text into width columns: cut on the right (or the left, keeping the
// end, when keep_end) with '+' marking the cut ("redis-ser+", "+:46954"),
// and pad with spaces on the right (or the left, when align_right). Never
// returns more than width characters.
std::string fit(const std::string& text, int width, bool align_right, bool keep_end = false);
// The same, appended to out (no temporary string).
void append_fit(std::string& out, std::string_view text, int width, bool align_right, bool keep_end = false);

// Case-insensitive substring test (ASCII).
bool contains_nocase(const std::string& hay, const std::string& needle);

}  // namespace pollscope
