// Constructors of the protocol implementations (one file each), used by make_protocol.
#pragma once
#include <memory>

#include "core/serve/protocol.hpp"

namespace pollscope::serve {

std::unique_ptr<Protocol> make_resp_protocol(size_t max_request, Keyspace* ks);
std::unique_ptr<Protocol> make_http_protocol(size_t max_request, size_t body_size);
std::unique_ptr<Protocol> make_echo_protocol();

}  // namespace pollscope::serve
