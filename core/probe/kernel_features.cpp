#include "core/probe/kernel_features.hpp"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "core/base/error.hpp"

namespace pollscope::probe {

namespace {
constexpr int kCapSysAdmin = 21;
constexpr int kCapPerfmon = 38;
constexpr int kCapBpf = 39;

bool path_exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}
}  // namespace

std::string kernel_release() {
  struct utsname u;
  if (::uname(&u) != 0) return "unknown";
  return u.release;
}

Privileges privileges_from_capeff(uint64_t capeff, bool root) {
  Privileges p;
  p.root = root;
  p.cap_sys_admin = capeff & (1ULL << kCapSysAdmin);
  p.cap_perfmon = capeff & (1ULL << kCapPerfmon);
  p.cap_bpf = capeff & (1ULL << kCapBpf);
  return p;
}

Privileges current_privileges() {
  std::ifstream status("/proc/self/status");
  std::string line;
  uint64_t capeff = 0;
  while (std::getline(status, line)) {
    if (line.rfind("CapEff:", 0) == 0) {
      capeff = std::stoull(line.substr(7), nullptr, 16);
      break;
    }
  }
  return privileges_from_capeff(capeff, ::geteuid() == 0);
}

std::string Privileges::describe() const {
  std::string caps;
  if (cap_bpf) caps += " CAP_BPF";
  if (cap_perfmon) caps += " CAP_PERFMON";
  if (cap_sys_admin) caps += " CAP_SYS_ADMIN";
  std::string who = root ? "root" : "uid " + std::to_string(::geteuid());
  return who + " (" + (caps.empty() ? std::string("no capabilities") : caps.substr(1)) + ")";
}

std::string Privileges::missing() const {
  if (sufficient()) return "";
  if (!cap_bpf && !cap_perfmon) return "CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)";
  if (!cap_bpf) return "CAP_BPF (or CAP_SYS_ADMIN)";
  return "CAP_PERFMON (or CAP_SYS_ADMIN)";
}

std::string vmlinux_btf_path() {
  const char* p = "/sys/kernel/btf/vmlinux";
  return path_exists(p) ? p : "";
}

std::string tracefs_mount_point() {
  std::ifstream mounts("/proc/self/mounts");
  std::string line;
  while (std::getline(mounts, line)) {
    std::istringstream in(line);
    std::string dev, dir, type;
    in >> dev >> dir >> type;
    if (type == "tracefs") return dir;
  }
  // debugfs mounted carries tracefs under tracing/ (automount).
  if (path_exists("/sys/kernel/debug/tracing/events")) return "/sys/kernel/debug/tracing";
  return "";
}

TracefsResult ensure_tracefs() {
  TracefsResult r;
  r.path = tracefs_mount_point();
  if (!r.path.empty()) {
    r.ok = true;
    return r;
  }
  const std::string target = "/sys/kernel/tracing";
  if (::mount("nodev", target.c_str(), "tracefs", 0, nullptr) != 0) {
    r.error = "mount -t tracefs nodev " + target + ": " + errno_text(errno);
    return r;
  }
  r.ok = true;
  r.mounted_now = true;
  r.path = target;
  return r;
}

int bpf_stats_enabled() {
  std::ifstream f("/proc/sys/kernel/bpf_stats_enabled");
  int v = -1;
  if (!(f >> v)) return -1;
  return v;
}

bool bpf_stats_writable() { return ::access("/proc/sys/kernel/bpf_stats_enabled", W_OK) == 0; }

}  // namespace pollscope::probe
