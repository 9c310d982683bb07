// What the running kernel and this process offer pollscope: BTF, privileges,
// tracefs, bpf_stats. Pure queries except ensure_tracefs(), which mounts.
#pragma once
#include <cstdint>
#include <string>

namespace pollscope::probe {

std::string kernel_release();

struct Privileges {
  bool root = false;
  bool cap_bpf = false;
  bool cap_perfmon = false;
  bool cap_sys_admin = false;
  // Loading tracing programs needs CAP_BPF+CAP_PERFMON, or CAP_SYS_ADMIN.
  bool sufficient() const { return cap_sys_admin || (cap_bpf && cap_perfmon); }
  std::string describe() const;  // e.g. "root (CAP_BPF CAP_PERFMON CAP_SYS_ADMIN)"
  std::string missing() const;   // e.g. "CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)"
};
Privileges current_privileges();
// Parses the hexadecimal CapEff value of /proc/<pid>/status.
Privileges privileges_from_capeff(uint64_t capeff, bool root);

// The vmlinux BTF file, or "" when the kernel has none.
std::string vmlinux_btf_path();

// tracefs: where it is mounted, or "" when it is not.
std::string tracefs_mount_point();

struct TracefsResult {
  bool ok = false;
  bool mounted_now = false;  // we mounted it in this call
  std::string path;
  std::string error;  // when !ok
};
// Mounts tracefs at /sys/kernel/tracing when absent, as perf and bpftrace do.
TracefsResult ensure_tracefs();

// kernel.bpf_stats_enabled: -1 when the sysctl is absent.
int bpf_stats_enabled();
bool bpf_stats_writable();

}  // namespace pollscope::probe
