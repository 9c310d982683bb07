// The three outcomes of an incremental parser looking at the start of a buffer.
#pragma once

namespace pollscope::serve {

enum class ParseStatus {
  kComplete,    // one request parsed; consumed() bytes belong to it
  kIncomplete,  // need more bytes; nothing consumed
  kError,       // malformed or over the limits: reply with the error and close
};

}  // namespace pollscope::serve
