// A double in fixed notation with 0 to 3 decimals, exactly as fmt's "{:.Nf}"
// writes it, without fmt's general float path. top -b formats some 100,000
// rates, sizes and latencies a second at 10,000 sockets; fmt's fixed
// precision formatting was about half of that cost.
#pragma once
#include <string>
#include <string_view>

namespace pollscope {

// Appends v with decimals (0..3) digits after the point, then suffix. Values
// it cannot do the quick way (negative, huge, not finite, or so near a
// rounding tie that the scaled product could round differently from the
// exact value) go through fmt, so the text is always fmt's.
void append_fixed(std::string& out, double v, int decimals, std::string_view suffix = {});
std::string fixed(double v, int decimals, std::string_view suffix = {});

}  // namespace pollscope
