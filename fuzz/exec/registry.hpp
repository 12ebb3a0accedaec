// The executor of every recipe of the catalogue (built-in recipes and mutants), looked up by name.
#pragma once

#include <string_view>

#include "exec/execution.hpp"

namespace dfrace::fuzz {

// nullptr when the catalogue has no recipe of that name.
ExecFn find_executor(std::string_view recipe);

}  // namespace dfrace::fuzz
