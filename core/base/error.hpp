// One exception type for fatal errors; main() catches it, prints one line and
// exits with its code (1, or 2 for a usage error). Recoverable errors are
// return values, never exceptions.
#pragma once
#include <stdexcept>
#include <string>

namespace pollscope {

enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitUsage = 2 };

class Fatal : public std::runtime_error {
 public:
  explicit Fatal(const std::string& what, int exit_code = kExitFailure)
      : std::runtime_error(what), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// errno as text, for messages of the form "what: strerror".
std::string errno_text(int err);

}  // namespace pollscope
