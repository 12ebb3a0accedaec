// Text for 80-120 column terminals: wrap() breaks a line at spaces, never inside a word unless the word alone is
// wider than the line (the only way to keep the width).
#pragma once

#include <cstddef>
#include <string>

namespace dfrace {

// Wraps `text` at spaces into lines of at most `width` columns; lines after the first start with `indent` spaces.
std::string wrap(const std::string& text, std::size_t width, std::size_t indent);

}  // namespace dfrace
