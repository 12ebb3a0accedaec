// The producer-swap protocol (RFC v3) as the engines see it: its parts assembled into a plug-in
// (core/protocol_plugin.hpp; README, "Adding a protocol"). The top-level CMakeLists.txt's DFRACE_PROTOCOLS includes
// this header through the generated protocols/registered.hpp; nothing outside this folder names the protocol.
#pragma once

#include <vector>

#include "core/protocol_plugin.hpp"
#include "protocols/producer_swap/pool.hpp"
#include "protocols/producer_swap/protocol.hpp"
#include "protocols/producer_swap/recipes.hpp"

namespace dfrace::producer_swap {

// The Relacy model configurations (relacy_models.cpp, built into dfrace-relacy only).
const std::vector<relacy::ModelConfig>& relacy_models();

// A struct rather than an alias, so that diagnostics, stack traces and test names say producer_swap::Plugin.
struct Plugin : ProtocolPlugin<Protocol, kRecipes, kMutantBase, ProducerSwapPool, &relacy_models> {};

}  // namespace dfrace::producer_swap
