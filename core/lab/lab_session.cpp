#include "core/lab/lab_session.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include "core/base/error.hpp"
#include "core/proc/process_tree.hpp"

namespace pollscope {

LabSession::LabSession(const LabConfig& cfg) : cfg_(cfg) {
  std::string exe = self_executable();
  server_ = std::make_unique<ChildProcess>(
      "server",
      std::vector<std::string>{exe, "serve", "--mode", cfg.mode, "--proto", cfg.proto, "--threads",
                               std::to_string(cfg.threads), "--port", "0",
                               // The textbook epoll loop: no spinning before sleeping, so each
                               // mode is its own chapter at any --rate.
                               "--spin-us", "0"},
      cfg.work_dir + "/server.log");
  if (!server_->read_line(&address_, 10.0) || address_.empty()) {
    server_->exited();
    throw Fatal("the server (pollscope serve, pid " + std::to_string(server_->pid()) +
                ") did not print its address: " + server_->stderr_tail());
  }

  TracerOptions topts;
  topts.filter.pids = {static_cast<uint32_t>(server_->pid())};
  topts.families = probe::parse_family_list(cfg.probes);
  topts.verbose = cfg.verbose;
  // At lab's moderate rates the statistics cost little, and the screen shows
  // what each probe costs.
  topts.self_cost = true;
  tracer_ = std::make_unique<Tracer>(topts);

  std::vector<std::string> load_args = {exe, "load", "--proto", cfg.proto, "-c", std::to_string(cfg.connections),
                                        "-R", fmt::format("{:g}", cfg.rate), "-d",
                                        fmt::format("{:g}s", cfg.duration_s), "--json", "--quiet"};
  if (cfg.connections > 2) load_args.insert(load_args.end(), {"-t", "2"});
  load_args.push_back(address_);
  load_ = std::make_unique<ChildProcess>("load", load_args, cfg.work_dir + "/load.log");
}

LabSession::~LabSession() {
  // Reverse order: load, probes, server.
  if (load_) load_->terminate(1.0);
  tracer_.reset();
  if (server_) server_->terminate(2.0);
}

bool LabSession::load_finished() { return load_->exited() && load_->exit_code() == 0; }

bool LabSession::check_children() {
  if (server_->exited()) {
    throw Fatal(fmt::format("the server (pollscope serve --mode {}, pid {}) {}{}", cfg_.mode, server_->pid(),
                            server_->how_it_ended(),
                            server_->stderr_tail().empty() ? "" : ": " + server_->stderr_tail()));
  }
  if (load_->exited()) {
    if (load_->exit_code() == 0) return false;
    throw Fatal(fmt::format("the load generator (pollscope load, pid {}) {}{}", load_->pid(), load_->how_it_ended(),
                            load_->stderr_tail().empty() ? "" : ": " + load_->stderr_tail()));
  }
  return true;
}

std::optional<load::LoadSummary> LabSession::finish_load() {
  if (!load_->exited()) {
    // SIGTERM makes load stop early and still print its summary.
    load_->terminate(5.0);
  }
  return load::parse_summary_json(load_->read_rest());
}

double LabSession::server_cpu_s() const {
  auto st = read_proc_stat(server_->pid());
  if (!st) return 0;
  return static_cast<double>(st->utime_ticks + st->stime_ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace pollscope
