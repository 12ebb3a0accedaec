// The per-CPU swap protocol as the engines see it: what a registered protocol provides (README, "Adding a
// protocol"). The top-level CMakeLists.txt's DFRACE_PROTOCOLS includes this header through the generated
// protocols/registered.hpp; nothing outside this folder names the protocol.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "protocols/percpu_swap/pool.hpp"
#include "protocols/percpu_swap/protocol.hpp"
#include "protocols/percpu_swap/recipes.hpp"
#include "protocols/percpu_swap/scenario.hpp"

namespace dfrace::relacy {
struct ModelConfig;
}

namespace dfrace::percpu_swap {

struct Plugin {
  using Protocol = percpu_swap::Protocol;
  static constexpr const auto& kRecipes = percpu_swap::kRecipes;
  static constexpr std::string_view kMutantBase = percpu_swap::kMutantBase;
  template <Platform P, Recipe<Protocol> kRecipe>
  using Pool = DeferredFreePool<P, kRecipe>;
  template <Platform P, Recipe<Protocol> kRecipe, std::size_t kMaxHandles>
  using Scenario = percpu_swap::Scenario<P, kRecipe, kMaxHandles>;
  // The Relacy model configurations (relacy_models.cpp, built into dfrace-relacy only).
  static const std::vector<relacy::ModelConfig>& relacy_models();
};

}  // namespace dfrace::percpu_swap
