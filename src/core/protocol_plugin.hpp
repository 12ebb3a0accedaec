// ProtocolPlugin: what the engines see of a registered protocol, assembled from the parts of its folder. A
// protocol's plugin.hpp derives its Plugin from it and adds nothing:
//
//   struct Plugin : ProtocolPlugin<Protocol, kRecipes, kMutantBase, MyPool, &relacy_models> {};
//
// Contract (what engines, check, reports and the CLI use of a plug-in; protocols/registry.hpp visits them)
// - `Protocol`: the protocol (its protocol.hpp); `kRecipes` and `kMutantBase`: its catalogue (its recipes.hpp).
// - `Pool<P, kRecipe>`: its pool; `Scenario<P, kRecipe, kMaxHandles>`: what a check of it runs, PoolScenario on
//   the pool (core/pool_scenario.hpp).
// - `relacy_models()`: its Relacy model configurations. The function is defined in the folder's relacy_models.cpp,
//   which only the Relacy engine links, so only that engine may call it.
// A protocol whose checks need another scenario writes its own struct with these members instead.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/pool_scenario.hpp"
#include "core/recipe.hpp"
#include "platform/platform.hpp"

namespace dfrace {

namespace relacy {
struct ModelConfig;
}

using RelacyModels = const std::vector<relacy::ModelConfig>& (*)();

// PoolT's platform parameter is left unconstrained (the Pool alias constrains it): g++ 12 rejects a pool template
// for a `template <Platform, ...>` parameter, reporting its own constraint as a mismatch.
template <class ProtocolT, const auto& kRecipeTable, const std::string_view& kMutantBaseName,
          template <class, Recipe<ProtocolT>> class PoolT, RelacyModels kRelacyModels>
struct ProtocolPlugin {
  using Protocol = ProtocolT;
  static constexpr const auto& kRecipes = kRecipeTable;
  static constexpr std::string_view kMutantBase = kMutantBaseName;
  template <Platform P, Recipe<Protocol> kRecipe>
  using Pool = PoolT<P, kRecipe>;
  template <Platform P, Recipe<Protocol> kRecipe, std::size_t kMaxHandles>
  using Scenario = PoolScenario<P, Pool<P, kRecipe>, kMaxHandles>;
  static const std::vector<relacy::ModelConfig>& relacy_models() { return kRelacyModels(); }
};

}  // namespace dfrace
