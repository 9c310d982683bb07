// Maps a socket inode to the owner's file descriptor through /proc/PID/fd,
// cached per process. Only a socket not yet known makes a process's fd table
// be read again, at most once per refresh(); a socket still not found there
// (its owner passed it on, or it is being closed) is asked about again only
// after a few rounds, so that one such socket does not make every interval
// read a table of 20,000 descriptors.
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
  void refresh() {
    scanned_this_round_.clear();
    round_++;
  }
  // Forgets processes that no longer exist.
  void prune();
  uint64_t scans() const { return scans_; }  // fd tables read so far

  // Rounds before a socket not found is looked for again.
  static constexpr uint64_t kMissRetryRounds = 8;

 private:
  void scan(uint32_t pid);
  struct Process {
    std::unordered_map<uint64_t, int> fds;      // inode -> fd
    std::unordered_map<uint64_t, uint64_t> missed;  // inode -> round it may be looked for again
  };
  std::unordered_map<uint32_t, Process> by_pid_;
  std::set<uint32_t> scanned_this_round_;
  uint64_t round_ = 0;
  uint64_t scans_ = 0;
};

}  // namespace pollscope
