#include "core/base/error.hpp"

#include <cstring>

namespace pollscope {

std::string errno_text(int err) { return std::strerror(err < 0 ? -err : err); }

}  // namespace pollscope
