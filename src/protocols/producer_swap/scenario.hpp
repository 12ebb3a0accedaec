// Scenario<P, kRecipe>: what a check of the producer-swap protocol runs — the pool scenario every engine runs
// (core/pool_scenario.hpp: setup, producers per CPU, flush, the interrupt, teardown and the audit) on this pool.
#pragma once

#include <cstddef>

#include "core/pool_scenario.hpp"
#include "protocols/producer_swap/pool.hpp"

namespace dfrace::producer_swap {

template <Platform P, Recipe<Protocol> kRecipe, std::size_t kMaxHandles = 64>
using Scenario = PoolScenario<P, ProducerSwapPool<P, kRecipe>, kMaxHandles>;

}  // namespace dfrace::producer_swap
