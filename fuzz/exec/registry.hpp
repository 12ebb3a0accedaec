// The executor of every recipe of the catalogue (built-in recipes and mutants), looked up by name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exec/execution.hpp"

namespace dfrace::fuzz {

// nullptr when the catalogue has no recipe of that name.
ExecFn find_executor(std::string_view recipe);

// The protocol this executor checks, as finding files name it; the hash of its site table; whether version-1
// finding files (which name no protocol) are its.
std::string_view protocol_name();
std::uint64_t protocol_site_hash();
bool reads_version1_findings();

// The protocol's directions, by name, in the order of ExecResult::directions' bits.
const std::vector<std::string>& direction_names();

}  // namespace dfrace::fuzz
