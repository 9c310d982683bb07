// Whether a snapshot's figures are complete, said the same way by the text
// report, the warning on stderr and top's header: which map was full, how
// much was not recorded, and the size that would have fit.
#pragma once
#include <string>
#include <vector>

#include "core/model/snapshot.hpp"

namespace pollscope {

// One line per cause of loss, empty when the figures are complete, e.g.
// "socket map full (--max-sockets 64): 9,120 connections got no entry; 31,400 of
//  41,000 socket events (76.6%) not recorded; --max-sockets 16384 would have fit".
std::vector<std::string> incomplete_reasons(const Health& h);

// The shortest form, for a one-line header: "INCOMPLETE: 76.6% of socket
// events not recorded, try --max-sockets 16384"; "" when complete.
std::string incomplete_headline(const Health& h);

// Prints "WHO: warning: figures are incomplete: REASON" to stderr, one line per reason.
void warn_if_incomplete(const char* who, const Health& h);

}  // namespace pollscope
