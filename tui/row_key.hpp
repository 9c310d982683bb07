// A row's stable key ("ffff8881a2b3c400.1234567", "close.<socket key>",
// "t1234", "0.3") held inline: every row of every refresh has one, and a
// std::string of that length would be a heap allocation per row. It compares
// exactly as the string it spells, so sorting ties and Selection (which
// follows a row by its key string) keep their order and meaning.
#pragma once
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace pollscope::tui {

class RowKey {
 public:
  // The longest key: "close." + 16 hex digits + "." + 20 decimal digits.
  static constexpr size_t kCapacity = 47;

  RowKey& add(std::string_view s) {
    size_t n = s.size() < kCapacity - len_ ? s.size() : kCapacity - len_;
    s.copy(buf_ + len_, n);
    len_ = static_cast<uint8_t>(len_ + n);
    return *this;
  }
  // An integer in decimal (base 10) or lowercase hexadecimal (base 16), as
  // std::to_string and fmt's "{:x}" write it.
  template <class Int>
  RowKey& add_int(Int v, int base = 10) {
    static_assert(std::is_integral_v<Int>, "integers only");
    auto res = std::to_chars(buf_ + len_, buf_ + kCapacity, v, base);
    if (res.ec == std::errc())
      len_ = static_cast<uint8_t>(res.ptr - buf_);
    else  // no room (never with the keys above): keep the zeros past the end
      std::memset(buf_ + len_, 0, kCapacity - len_);
    return *this;
  }
  void clear() {
    std::memset(buf_, 0, len_);
    len_ = 0;
  }

  std::string_view view() const { return {buf_, len_}; }
  std::string str() const { return std::string(view()); }
  bool operator==(std::string_view s) const { return view() == s; }
  // As view() < o.view(), the order sorting ties go by. Quicker: 10,000 idle
  // sockets tie on their numbers, and their keys share the first 8 bytes
  // (the kernel address's high half), so sorting compares keys mostly. The
  // bytes past the end are zero: the first 16 compare as two big-endian
  // words (an ended key is less, as a prefix is), the rest as a string.
  int compare(const RowKey& o) const {
    for (size_t at : {size_t{0}, size_t{8}}) {
      uint64_t a = word(at), b = o.word(at);
      if (a != b) return a < b ? -1 : 1;
    }
    return view().compare(o.view());
  }
  bool operator<(const RowKey& o) const { return compare(o) < 0; }

 private:
  uint64_t word(size_t at) const {
    uint64_t w;
    std::memcpy(&w, buf_ + at, sizeof w);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
  }

  char buf_[kCapacity] = {};  // zero past len_
  uint8_t len_ = 0;
};

}  // namespace pollscope::tui
