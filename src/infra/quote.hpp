// A name that came from outside (a command line, a finding file's header) shown back to the user: in quotes,
// with every byte that is not printable ASCII escaped, so a corrupted file cannot write control sequences to
// the terminal or split the one-line error in two.
#pragma once

#include <absl/strings/escaping.h>
#include <absl/strings/str_cat.h>

#include <string>
#include <string_view>

namespace dfrace {

// (Debian's Abseil has its own absl::string_view, not std::string_view: hence the explicit conversion.)
inline std::string quote_escaped(std::string_view untrusted) {
  return absl::StrCat("'", absl::CHexEscape(absl::string_view(untrusted.data(), untrusted.size())), "'");
}

}  // namespace dfrace
