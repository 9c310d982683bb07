#include "core/probe/probe_set.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "bpf/pollscope.skel.h"
#include "core/base/error.hpp"
#include "core/base/monotonic_clock.hpp"
#include "core/probe/attach_probe.hpp"
#include "core/probe/kernel_features.hpp"
#include "core/trace/trace_options.hpp"

namespace pollscope::probe {

namespace {

bool wanted(const TracerOptions& o, Family f) {
  return o.families.empty() || std::find(o.families.begin(), o.families.end(), f) != o.families.end();
}

}  // namespace

ProbeSet::ProbeSet(const TracerOptions& opts) {
  set_libbpf_verbose(opts.verbose);
  Privileges priv = current_privileges();
  if (!priv.sufficient())
    throw Fatal("tracing needs root (missing " + priv.missing() + "); run as root");
  if (vmlinux_btf_path().empty())
    throw Fatal("the kernel has no BTF (/sys/kernel/btf/vmlinux); pollscope needs CONFIG_DEBUG_INFO_BTF");

  skel_ = pollscope_bpf__open();
  if (!skel_) throw Fatal("cannot open the BPF object: " + errno_text(errno));
  try {
    plan(opts);
    configure(opts);
    load_and_attach(opts);
  } catch (...) {
    for (bpf_link* l : links_) bpf_link__destroy(l);
    pollscope_bpf__destroy(skel_);
    throw;
  }
}

ProbeSet::~ProbeSet() {
  for (bpf_link* l : links_) bpf_link__destroy(l);
  pollscope_bpf__destroy(skel_);
}

void ProbeSet::plan(const TracerOptions& opts) {
  // Nothing loads unless chosen below.
  bpf_program* prog;
  bpf_object__for_each_program(prog, skel_->obj) bpf_program__set_autoload(prog, false);

  bool need_tracefs = wanted(opts, Family::Syscalls);
  std::string tracefs;
  std::string tracefs_error;
  if (need_tracefs) {
    TracefsResult t = ensure_tracefs();
    if (t.ok) tracefs = t.path;
    else tracefs_error = t.error;
  }

  const TrialBtfScope trial_btf;  // one parse for every tp_btf trial below
  for (const Tracepoint& tp : tracepoints()) {
    ProbeStatus st;
    st.tracepoint = tp;
    st.requested = wanted(opts, tp.family);
    bool pid_filter = !opts.filter.pids.empty() || opts.dynamic_pids;
    if (tp.name == "sched_process_fork" && !(opts.filter.follow_children && pid_filter)) {
      st.requested = false;
      st.reason = "not needed (no command to follow)";
      status_.push_back(st);
      continue;
    }
    if (!st.requested) {
      st.reason = "disabled by request";
      status_.push_back(st);
      continue;
    }
    if (tp.tracefs_only && tracefs.empty()) {
      st.reason = "tracefs unavailable: " + tracefs_error;
      status_.push_back(st);
      continue;
    }
    AttachPlan p = plan_attach(tp, tracefs);
    st.method = p.method;
    if (p.method == AttachMethod::None) {
      st.reason = p.reason();
      status_.push_back(st);
      continue;
    }
    st.program = program_name(tp, p.method);
    bpf_program* chosen = bpf_object__find_program_by_name(skel_->obj, st.program.c_str());
    if (!chosen) {
      st.reason = "no program " + st.program + " in the BPF object";
      st.method = AttachMethod::None;
    } else {
      bpf_program__set_autoload(chosen, true);
    }
    status_.push_back(st);
  }
}

void ProbeSet::configure(const TracerOptions& opts) {
  auto* ro = skel_->rodata;
  ro->self_tgid = static_cast<__u32>(::getpid());
  ro->filter_pid = !opts.filter.pids.empty() || opts.dynamic_pids;
  ro->filter_port = !opts.filter.ports.empty();
  ro->filter_comm = !opts.filter.comm.empty();
  std::memset(const_cast<char*>(ro->comm_filter), 0, sizeof(ro->comm_filter));
  std::strncpy(const_cast<char*>(ro->comm_filter), opts.filter.comm.c_str(), sizeof(ro->comm_filter) - 1);
  ro->follow_children = opts.filter.follow_children;
  // A short fixed pid list is also checked from read-only data (no map lookup per event).
  constexpr size_t kPidList = sizeof(ro->pid_list) / sizeof(ro->pid_list[0]);
  ro->pid_list_len = 0;
  if (!opts.filter.follow_children && !opts.dynamic_pids && opts.filter.pids.size() <= kPidList) {
    for (size_t i = 0; i < opts.filter.pids.size(); ++i) const_cast<__u32&>(ro->pid_list[i]) = opts.filter.pids[i];
    ro->pid_list_len = static_cast<__u32>(opts.filter.pids.size());
  }
  // The stages of a readiness need the sleeps (sched) and wait returns
  // (syscalls) of its reader as well as the socket events.
  auto planned = [this](const std::string& name) {
    return std::any_of(status_.begin(), status_.end(),
                       [&](const ProbeStatus& s) { return s.tracepoint.name == name && !s.program.empty(); });
  };
  ro->stages_on = planned("sock_recv_length") && planned("sched_waking") && planned("sched_switch") &&
                  planned("sys_exit_epoll_wait");
  if (opts.max_sockets == 0 || opts.max_threads == 0)
    throw Fatal("map sizes must be at least 1", kExitUsage);
  ro->sock_slot_count = opts.max_sockets;
  ro->thread_slot_count = opts.max_threads;
  bpf_map__set_max_entries(skel_->maps.socks, opts.max_sockets);
  bpf_map__set_max_entries(skel_->maps.free_socks, opts.max_sockets);
  bpf_map__set_max_entries(skel_->maps.touched_bits, (opts.max_sockets + 63) / 64);
  bpf_map__set_max_entries(skel_->maps.threads, opts.max_threads);
  bpf_map__set_max_entries(skel_->maps.free_threads, opts.max_threads);
  bpf_map__set_max_entries(skel_->maps.task_ids, opts.max_threads * 2);
  bpf_map__set_max_entries(skel_->maps.wakes, opts.max_threads * 2);
  bpf_map__set_max_entries(skel_->maps.unowned_ready, std::max<uint32_t>(opts.max_sockets / 4, 1024));
  // The raw_tp fallback's socket identities: an LRU with room for every
  // tracked connection and as many untracked sockets again.
  bpf_map__set_max_entries(skel_->maps.sk_ids, std::max<uint32_t>(opts.max_sockets * 2, 4096));
}

void ProbeSet::load_and_attach(const TracerOptions& opts) {
  bool any = std::any_of(status_.begin(), status_.end(), [](const ProbeStatus& s) { return !s.program.empty(); });
  if (!any) {
    std::string why;
    for (const auto& s : status_)
      if (s.requested) {
        why = s.tracepoint.full_name() + ": " + s.reason;
        break;
      }
    throw Fatal("no probe can be attached" + (why.empty() ? std::string() : " (" + why + ")"));
  }
  if (pollscope_bpf__load(skel_) != 0)
    throw Fatal("loading the BPF programs failed: " + errno_text(errno) + " (run with -v for libbpf's log)");
  map_touched_bits();

  uint8_t one = 1;  // filter maps hold __u8 values
  for (uint32_t pid : opts.filter.pids) {
    if (bpf_map_update_elem(bpf_map__fd(skel_->maps.filter_pids), &pid, &one, BPF_ANY) != 0)
      throw Fatal("too many pids in the filter (at most 1024)", kExitUsage);
  }
  for (uint16_t port : opts.filter.ports) {
    if (bpf_map_update_elem(bpf_map__fd(skel_->maps.filter_ports), &port, &one, BPF_ANY) != 0)
      throw Fatal("too many ports in the filter (at most 64)", kExitUsage);
  }

  if (opts.self_cost) {
    int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
    if (fd >= 0) stats_fd_.reset(fd);
  }

  for (auto& st : status_) {
    if (st.program.empty()) continue;
    bpf_program* prog = bpf_object__find_program_by_name(skel_->obj, st.program.c_str());
    st.prog_fd = bpf_program__fd(prog);
    bpf_link* link = bpf_program__attach(prog);
    if (!link) {
      st.reason = "attach failed: " + errno_text(errno);
      continue;
    }
    links_.push_back(link);
    link_status_.push_back(static_cast<size_t>(&st - status_.data()));
    st.attached = true;
  }
  if (links_.empty()) throw Fatal("no probe could be attached (run with -v for libbpf's log)");
}

// The programs hand out every slot of the entry arrays themselves (the
// never used ones in order, then the ones given back: take_slot in
// bpf/pollscope.bpf.c), so nothing fills the free-slot queues here. User
// space reads the entries through windows of the arrays
// (core/trace/array_window.hpp) and takes the touched bits through this
// mapping.
void ProbeSet::map_touched_bits() {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const uint32_t words = bpf_map__max_entries(skel_->maps.touched_bits);
  touched_bits_ = MappedRegion(bpf_map__fd(skel_->maps.touched_bits), (words * sizeof(uint64_t) + page - 1) / page * page);
  if (!touched_bits_.valid()) throw Fatal("mapping the touched-socket bits failed: " + errno_text(errno));
}

void ProbeSet::set_filter_pids(const std::vector<uint32_t>& pids) {
  int fd = bpf_map__fd(skel_->maps.filter_pids);
  std::vector<uint32_t> present;
  uint32_t key = 0, next = 0;
  uint32_t* cur = nullptr;
  while (bpf_map_get_next_key(fd, cur, &next) == 0) {
    present.push_back(next);
    key = next;
    cur = &key;
  }
  for (uint32_t pid : present)
    if (std::find(pids.begin(), pids.end(), pid) == pids.end()) bpf_map_delete_elem(fd, &pid);
  uint8_t one = 1;
  for (uint32_t pid : pids)
    if (bpf_map_update_elem(fd, &pid, &one, BPF_ANY) != 0)
      throw Fatal("too many pids in the filter (at most 1024)");
}

namespace {

// Connection closes stay traced while paused (one event per connection): a
// close missed would leave its entry in the socket map until pressure ages it.
bool kept_while_paused(const ProbeStatus& st) { return st.tracepoint.full_name() == "sock:inet_sock_set_state"; }

}  // namespace

void ProbeSet::detach() {
  if (paused_) return;
  std::vector<bpf_link*> kept;
  std::vector<size_t> kept_status;
  for (size_t i = 0; i < links_.size(); i++) {
    if (kept_while_paused(status_[link_status_[i]])) {
      kept.push_back(links_[i]);
      kept_status.push_back(link_status_[i]);
    } else {
      bpf_link__destroy(links_[i]);
    }
  }
  links_ = std::move(kept);
  link_status_ = std::move(kept_status);
  paused_ = true;
}

void ProbeSet::reattach() {
  if (!paused_) return;
  // What started before the pause and ends after it (a readiness, a waking)
  // is not a latency: the programs drop samples older than this.
  skel_->bss->resume_ns = static_cast<uint64_t>(monotonic_ns());
  for (size_t i = 0; i < status_.size(); i++) {
    const ProbeStatus& st = status_[i];
    if (!st.attached || kept_while_paused(st)) continue;
    bpf_program* prog = bpf_object__find_program_by_name(skel_->obj, st.program.c_str());
    bpf_link* link = bpf_program__attach(prog);
    if (!link) throw Fatal("re-attaching " + st.tracepoint.full_name() + " failed: " + errno_text(errno));
    links_.push_back(link);
    link_status_.push_back(i);
  }
  paused_ = false;
}

MapFds ProbeSet::maps() const {
  MapFds m;
  m.socks = bpf_map__fd(skel_->maps.socks);
  m.sock_slot_count = bpf_map__max_entries(skel_->maps.socks);
  m.free_socks = bpf_map__fd(skel_->maps.free_socks);
  m.socks_handed_out = &skel_->bss->socks_handed_out;
  m.threads = bpf_map__fd(skel_->maps.threads);
  m.thread_slot_count = bpf_map__max_entries(skel_->maps.threads);
  m.free_threads = bpf_map__fd(skel_->maps.free_threads);
  m.threads_handed_out = &skel_->bss->threads_handed_out;
  m.task_ids = bpf_map__fd(skel_->maps.task_ids);
  m.softirqs = bpf_map__fd(skel_->maps.softirqs);
  m.counters = bpf_map__fd(skel_->maps.counters);
  m.filter_pids = bpf_map__fd(skel_->maps.filter_pids);
  m.touched_bits = static_cast<uint64_t*>(touched_bits_.data());
  m.touched_words = bpf_map__max_entries(skel_->maps.touched_bits);
  return m;
}

ProgramCost ProbeSet::cost(int prog_fd) const {
  ProgramCost c;
  if (prog_fd < 0 || !stats_fd_.valid()) return c;
  struct bpf_prog_info info = {};
  __u32 len = sizeof(info);
  if (bpf_obj_get_info_by_fd(prog_fd, &info, &len) == 0) {
    c.run_cnt = info.run_cnt;
    c.run_time_ns = info.run_time_ns;
  }
  return c;
}


}  // namespace pollscope::probe
