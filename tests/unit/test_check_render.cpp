// check's table goes through the shared table layer; a problem's fix stands
// under its row, aligned with DETAIL.
#include <catch2/catch.hpp>

#include "core/check/check.hpp"

using namespace pollscope;

TEST_CASE("check text: items aligned, a fix under DETAIL, no trailing spaces", "[check]") {
  CheckResult r;
  r.items.push_back({"kernel", CheckStatus::Ok, true, "6.1.0", ""});
  r.items.push_back({"tracefs", CheckStatus::Missing, true, "not mounted", "mount -t tracefs nodev /sys/kernel/tracing"});
  std::string text = render_check_text(r);
  CHECK(text.rfind("CHECK        STATUS   DETAIL\n"
                   "kernel       ok       6.1.0\n"
                   "tracefs      missing  not mounted\n"
                   "                      -> mount -t tracefs nodev /sys/kernel/tracing\n"
                   "\n"
                   "FAMILY    TRACEPOINT                         TP_BTF RAW_TP TRACEFS USING\n",
                   0) == 0);
  CHECK(text.find(" \n") == std::string::npos);
}
