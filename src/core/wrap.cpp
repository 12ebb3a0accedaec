#include "core/wrap.hpp"

#include <sstream>

namespace dfrace {

std::string wrap(const std::string& text, std::size_t width, std::size_t indent) {
  const std::size_t room = width > indent + 10 ? width - indent : 10;
  std::string out, line;
  std::istringstream words(text);
  std::string w;
  auto flush = [&] {
    if (!out.empty()) out += "\n" + std::string(indent, ' ');
    out += line;
    line.clear();
  };
  while (words >> w) {
    while (w.size() > room) {  // a word wider than the line: split it
      if (!line.empty()) flush();
      line = w.substr(0, room);
      w = w.substr(room);
      flush();
    }
    if (!line.empty() && line.size() + 1 + w.size() > room) flush();
    line += (line.empty() ? "" : " ") + w;
  }
  if (!line.empty() || out.empty()) flush();
  return out;
}

}  // namespace dfrace
