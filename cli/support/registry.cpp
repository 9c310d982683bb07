#include "cli/support/registry.hpp"

namespace pollscope::cli {

std::vector<Subcommand>& subcommands() {
  static std::vector<Subcommand> all;
  return all;
}

}  // namespace pollscope::cli
