// `pollscope check`: is this machine ready for pollscope?
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/support/registry.hpp"
#include "core/check/check.hpp"
#include "core/base/error.hpp"

namespace pollscope::cli {

namespace {

struct CheckCliOptions {
  bool json = false;
  bool fix = false;
  bool no_mount = false;
  bool verbose = false;
};

int run_check_cmd(const CheckCliOptions& o) {
  probe::set_libbpf_verbose(o.verbose);
  CheckOptions opts;
  opts.mount_tracefs = o.fix || !o.no_mount;
  CheckResult r = run_check(opts);
  std::cout << (o.json ? render_check_json(r) : render_check_text(r));
  std::cout.flush();
  for (const auto& p : r.problems()) std::fprintf(stderr, "pollscope check: %s\n", p.c_str());
  return r.ok() ? kExitOk : kExitFailure;
}

Runner setup_check(CLI::App& app) {
  auto o = std::make_shared<CheckCliOptions>();
  auto* sub = app.add_subcommand("check", "Check that this machine can run pollscope's probes");
  sub->footer(
      "Checks the kernel, BTF, privileges, tracefs and bpf_stats, then loads and attaches a\n"
      "trivial program to every tracepoint pollscope uses (tp_btf first, raw_tp fallback,\n"
      "tracefs for syscalls). Exit 0 when everything required is available, 1 otherwise.");
  sub->add_flag("--json", o->json, "Print the result as one JSON document");
  sub->add_flag("--fix", o->fix, "Mount tracefs when it is absent (the default when privileged)");
  sub->add_flag("--no-mount", o->no_mount, "Never mount tracefs; only report");
  sub->add_flag("-v,--verbose", o->verbose, "Show libbpf's own messages");
  return [o] { return run_check_cmd(*o); };
}

const RegisterSubcommand kRegister{10, "check", setup_check};

}  // namespace

}  // namespace pollscope::cli
