// The producer-swap protocol (RFC v3) as the engines see it: what a registered protocol provides (README, "Adding a
// protocol"). The top-level CMakeLists.txt's DFRACE_PROTOCOLS includes this header through the generated
// protocols/registered.hpp; nothing outside this folder names the protocol.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "protocols/producer_swap/pool.hpp"
#include "protocols/producer_swap/protocol.hpp"
#include "protocols/producer_swap/recipes.hpp"
#include "protocols/producer_swap/scenario.hpp"

namespace dfrace::relacy {
struct ModelConfig;
}

namespace dfrace::producer_swap {

struct Plugin {
  using Protocol = producer_swap::Protocol;
  static constexpr const auto& kRecipes = producer_swap::kRecipes;
  static constexpr std::string_view kMutantBase = producer_swap::kMutantBase;
  template <Platform P, Recipe<Protocol> kRecipe>
  using Pool = ProducerSwapPool<P, kRecipe>;
  template <Platform P, Recipe<Protocol> kRecipe, std::size_t kMaxHandles>
  using Scenario = producer_swap::Scenario<P, kRecipe, kMaxHandles>;
  // The Relacy model configurations (relacy_models.cpp, built into dfrace-relacy only).
  static const std::vector<relacy::ModelConfig>& relacy_models();
};

}  // namespace dfrace::producer_swap
