// pollscope entry point: parse, then dispatch to the chosen subcommand.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>

#include "cli/support/registry.hpp"
#include "core/base/error.hpp"

using namespace pollscope;

namespace {

const char* kDescription =
    "pollscope: why is my event loop late?\n"
    "Traces each socket from softirq to readiness, wakeup, CPU and read.";

// CLI11's messages can span lines; the contract is one line on stderr.
std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  // pollscope waits for the children it starts (report's command, lab's server
  // and load): an ignored SIGCHLD inherited from our parent would have the
  // kernel reap them unseen.
  ::signal(SIGCHLD, SIG_DFL);
  CLI::App app{kDescription, "pollscope"};
  app.set_version_flag("--version", std::string("pollscope ") + POLLSCOPE_VERSION);
  app.require_subcommand(0, 1);
  app.footer("Run 'pollscope help COMMAND' or 'pollscope COMMAND --help' for a command's options.\n"
             "See pollscope(8).");

  auto& subs = cli::subcommands();
  std::sort(subs.begin(), subs.end(),
            [](const cli::Subcommand& a, const cli::Subcommand& b) { return a.order < b.order; });
  std::map<std::string, cli::Runner> runners;
  for (auto& s : subs) runners[s.name] = s.setup(app);

  // `pollscope help [COMMAND]` prints the tool's or a command's help on stdout.
  std::string help_topic;
  auto* help = app.add_subcommand("help", "Show help for pollscope or one of its commands");
  help->add_option("command", help_topic, "Command to describe");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "pollscope: %s (see 'pollscope --help')\n", one_line(e.what()).c_str());
    return kExitUsage;
  }

  if (help->parsed()) {
    if (help_topic.empty()) {
      std::cout << app.help();
      return kExitOk;
    }
    if (help_topic == "help" || runners.count(help_topic) == 0) {
      std::fprintf(stderr, "pollscope: no such command '%s' (see 'pollscope --help')\n",
                   help_topic.c_str());
      return kExitUsage;
    }
    std::cout << app.get_subcommand(help_topic)->help();
    return kExitOk;
  }

  for (auto& [name, run] : runners) {
    if (!app.got_subcommand(name)) continue;
    try {
      return run();
    } catch (const Fatal& e) {
      std::fprintf(stderr, "pollscope %s: %s\n", name.c_str(), one_line(e.what()).c_str());
      return e.exit_code();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "pollscope %s: internal error: %s\n", name.c_str(), one_line(e.what()).c_str());
      return kExitFailure;
    }
  }
  std::fprintf(stderr, "pollscope: no command given (see 'pollscope --help')\n");
  return kExitUsage;
}
