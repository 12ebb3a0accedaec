// Number formatting shared by every engine's human-readable output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dfrace {

// 1234567 -> "1,234,567": figures a user compares at a glance.
inline std::string with_commas(std::uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

// Text made safe inside XML/HTML elements and attribute values (the report's HTML, the SVG pictures).
inline std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace dfrace
