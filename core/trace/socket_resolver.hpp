// Maps a socket inode to the owner's file descriptor through /proc/PID/fd,
// cached per process; a miss rescans that process at most once per refresh().
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>

namespace pollscope {

class SocketResolver {
 public:
  // Descriptor of socket `inode` in process `pid`, or -1.
  int fd_of(uint32_t pid, uint64_t inode);
  // Starts a new round: each process may be rescanned once more.
  void refresh() { scanned_this_round_.clear(); }
  // Forgets processes that no longer exist.
  void prune();

 private:
  void scan(uint32_t pid);
  std::unordered_map<uint32_t, std::unordered_map<uint64_t, int>> by_pid_;
  std::set<uint32_t> scanned_this_round_;
};

}  // namespace pollscope
