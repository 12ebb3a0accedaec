// The trylock-array protocol as the engines see it: what a registered protocol provides (README, "Adding a
// protocol"). The top-level CMakeLists.txt's DFRACE_PROTOCOLS includes this header through the generated
// protocols/registered.hpp; nothing outside this folder names the protocol.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "protocols/pool_trylock/pool.hpp"
#include "protocols/pool_trylock/protocol.hpp"
#include "protocols/pool_trylock/recipes.hpp"
#include "protocols/pool_trylock/scenario.hpp"

namespace dfrace::relacy {
struct ModelConfig;
}

namespace dfrace::pool_trylock {

struct Plugin {
  using Protocol = pool_trylock::Protocol;
  static constexpr const auto& kRecipes = pool_trylock::kRecipes;
  static constexpr std::string_view kMutantBase = pool_trylock::kMutantBase;
  template <Platform P, Recipe<Protocol> kRecipe>
  using Pool = TrylockPool<P, kRecipe>;
  template <Platform P, Recipe<Protocol> kRecipe, std::size_t kMaxHandles>
  using Scenario = pool_trylock::Scenario<P, kRecipe, kMaxHandles>;
  // The Relacy model configurations (relacy_models.cpp, built into dfrace-relacy only).
  static const std::vector<relacy::ModelConfig>& relacy_models();
};

}  // namespace dfrace::pool_trylock
