// The trylock-array protocol as the engines see it: its parts assembled into a plug-in (core/protocol_plugin.hpp;
// README, "Adding a protocol"). The top-level CMakeLists.txt's DFRACE_PROTOCOLS includes this header through the
// generated protocols/registered.hpp; nothing outside this folder names the protocol.
#pragma once

#include <vector>

#include "core/protocol_plugin.hpp"
#include "protocols/pool_trylock/pool.hpp"
#include "protocols/pool_trylock/protocol.hpp"
#include "protocols/pool_trylock/recipes.hpp"

namespace dfrace::pool_trylock {

// The Relacy model configurations (relacy_models.cpp, built into dfrace-relacy only).
const std::vector<relacy::ModelConfig>& relacy_models();

// A struct rather than an alias, so that diagnostics, stack traces and test names say pool_trylock::Plugin.
struct Plugin : ProtocolPlugin<Protocol, kRecipes, kMutantBase, TrylockPool, &relacy_models> {};

}  // namespace dfrace::pool_trylock
