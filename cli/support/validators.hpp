// CLI11 validators shared by the subcommands.
#pragma once
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdlib>
#include <string>

namespace pollscope {

// A decimal flag must be a finite number: CLI11 reads "nan" and "inf" as
// doubles, and NaN passes every range comparison (CLI::Range included).
inline CLI::Validator finite_number() {
  return CLI::Validator(
      [](std::string& in) -> std::string {
        char* end = nullptr;
        double v = std::strtod(in.c_str(), &end);
        if (end == in.c_str() || *end != '\0' || !std::isfinite(v)) return "'" + in + "' is not a finite number";
        return {};
      },
      "");
}

}  // namespace pollscope
