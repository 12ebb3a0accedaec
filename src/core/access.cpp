#include "core/access.hpp"

namespace dfrace {

std::optional<Access> parse_access(std::string_view name) {
  for (Access a : {Access::kPlain, Access::kOnce, Access::kAcquire, Access::kRelease, Access::kReuse, Access::kNone,
                   Access::kRmb, Access::kWmb, Access::kMb}) {
    if (access_name(a) == name) return a;
  }
  return std::nullopt;
}

}  // namespace dfrace
