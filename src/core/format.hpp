// Number formatting shared by every engine's human-readable output.
#pragma once

#include <cstdint>
#include <string>

namespace dfrace {

// 1234567 -> "1,234,567": figures a user compares at a glance.
inline std::string with_commas(std::uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

}  // namespace dfrace
