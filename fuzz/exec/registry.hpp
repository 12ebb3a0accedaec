// The executor of every recipe of every registered protocol (built-in recipes and mutants), looked up by name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/protocol_info.hpp"
#include "exec/execution.hpp"

namespace dfrace::fuzz {

// nullptr when no registered protocol has a recipe of that name (plain or qualified "protocol/recipe").
ExecFn find_executor(std::string_view recipe);

// The protocol of a recipe (nullptr when there is no such recipe): its name as finding files carry it, its sites,
// its directions in the order of ExecResult::directions' bits, whether version-1 finding files are its.
const ProtocolInfo* protocol_of(std::string_view recipe);
// Its protocol's name, or empty when there is no such recipe (what an engine result names).
std::string_view protocol_name_of(std::string_view recipe);
// The hash of a protocol's site table, as finding files carry it.
std::uint64_t protocol_site_hash(const ProtocolInfo& protocol);
// The registered protocol that reads version-1 finding files (which name no protocol), or nullptr.
const ProtocolInfo* version1_protocol();

}  // namespace dfrace::fuzz
