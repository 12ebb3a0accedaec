// Scenario<P, kRecipe>: what a check of the per-CPU swap protocol runs — the pool scenario every engine runs
// (core/pool_scenario.hpp: setup, producers per CPU, flush, the interrupt, teardown and the audit) on this pool.
#pragma once

#include <cstddef>

#include "core/pool_scenario.hpp"
#include "protocols/percpu_swap/pool.hpp"

namespace dfrace::percpu_swap {

template <Platform P, Recipe<Protocol> kRecipe, std::size_t kMaxHandles = 64>
using Scenario = PoolScenario<P, DeferredFreePool<P, kRecipe>, kMaxHandles>;

}  // namespace dfrace::percpu_swap
