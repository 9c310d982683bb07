#include "core/load/progress.hpp"

#include <fmt/format.h>

namespace pollscope::load {

std::string format_progress(const Progress& p) {
  return fmt::format("load {:6.1f}s{} {:10.0f} req/s  replies {}  errors {}  open {}/{}", p.elapsed_s,
                     p.warmup ? " warmup" : "", p.replies_per_s, p.replies, p.errors, p.open, p.connections);
}

}  // namespace pollscope::load
