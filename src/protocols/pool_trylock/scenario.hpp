// Scenario<P, kRecipe>: what a check of the trylock-array protocol runs — the pool scenario every engine runs
// (core/pool_scenario.hpp: setup, producers per CPU, flush, the interrupt, teardown and the audit) on this pool.
#pragma once

#include <cstddef>

#include "core/pool_scenario.hpp"
#include "protocols/pool_trylock/pool.hpp"

namespace dfrace::pool_trylock {

template <Platform P, Recipe<Protocol> kRecipe, std::size_t kMaxHandles = 64>
using Scenario = PoolScenario<P, TrylockPool<P, kRecipe>, kMaxHandles>;

}  // namespace dfrace::pool_trylock
