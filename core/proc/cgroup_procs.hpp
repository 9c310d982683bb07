// The processes of a cgroup and of its descendants, for --cgroup: read from
// each directory's cgroup.procs, so a process moved in or out is picked up at
// the next reading (the tracer re-reads the set every interval).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pollscope {

// Where the cgroup v2 hierarchy is mounted ("/sys/fs/cgroup" on a pure v2
// system, "/sys/fs/cgroup/unified" on a hybrid one); "" when it is not.
std::string cgroup2_mount_point(const std::string& mountinfo_path = "/proc/self/mountinfo");

// An absolute path is taken as given, a relative one under the cgroup v2
// mount point. Throws Fatal(kExitUsage) with one line when it is not a cgroup
// directory (no cgroup.procs in it).
std::string resolve_cgroup(const std::string& path);

// The pids in cgroup.procs of dir and of every directory below it, sorted and
// unique. A directory removed while reading is skipped.
std::vector<uint32_t> cgroup_pids(const std::string& dir);

}  // namespace pollscope
