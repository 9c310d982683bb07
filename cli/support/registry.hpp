// Subcommands register themselves here from their own file, so adding one
// touches no shared list. main() sets them up in `order`, parses, then runs
// the runner of the subcommand that was given.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace pollscope::cli {

// Returned by a subcommand's setup: runs it after parsing, returns the exit code.
using Runner = std::function<int()>;

struct Subcommand {
  int order;
  std::string name;
  // Adds the subcommand to the app and returns its runner.
  std::function<Runner(CLI::App& app)> setup;
};

std::vector<Subcommand>& subcommands();

struct RegisterSubcommand {
  RegisterSubcommand(int order, std::string name, std::function<Runner(CLI::App&)> setup) {
    subcommands().push_back({order, std::move(name), std::move(setup)});
  }
};

}  // namespace pollscope::cli
