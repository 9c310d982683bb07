// Kinds of errors a load run counts.
#pragma once
#include <array>
#include <cstdint>

namespace pollscope::load {

enum ErrorKind : int {
  kConnectRefused,   // connect() refused (nothing listens)
  kClosed,           // the server closed the connection in order (FIN: read returned 0) while it was needed
  kReset,            // the connection was reset (RST: ECONNRESET, EPIPE, ECONNABORTED)
  kTimeout,          // a request (or a connect) waited longer than --timeout
  kProtocolError,    // bytes that are not a valid reply, or a reply nobody asked for
  kUnexpectedReply,  // a valid reply that is an error / bad status / wrong echo payload
  kOtherError,       // any other socket error
  kErrorKinds
};

using ErrorCounts = std::array<uint64_t, kErrorKinds>;

inline const char* error_kind_name(int k) {
  static const char* const kNames[kErrorKinds] = {"connect_refused", "closed",           "reset", "timeout",
                                                  "protocol_error",  "unexpected_reply", "other"};
  return (k >= 0 && k < kErrorKinds) ? kNames[k] : "?";
}

}  // namespace pollscope::load
