// Every recipe an engine can run: the entries of recipes.hpp plus the mechanically generated mutants of
// kMutantBase. Engines never name a recipe in code; they look one up by name here, or visit them all, and get
// it as a compile-time constant to instantiate the pool with.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocols/percpu_swap/recipes.hpp"

namespace dfrace::percpu_swap {

consteval std::size_t index_of_recipe(std::string_view name) {
  for (std::size_t i = 0; i < kRecipes.size(); ++i) {
    if (kRecipes[i].name == name) return i;
  }
  throw "no such recipe";  // a compile error: kMutantBase must name an entry of kRecipes
}

consteval bool catalogue_is_well_formed() {
  for (std::size_t i = 0; i < kRecipes.size(); ++i) {
    if (first_invalid_site(kRecipes[i].recipe).has_value()) return false;
    if (kRecipes[i].name.empty() || kRecipes[i].name.find_first_of("@= /") != std::string_view::npos) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (kRecipes[i].name == kRecipes[j].name) return false;
    }
  }
  return true;
}
static_assert(catalogue_is_well_formed(),
              "recipes.hpp: each recipe needs a unique name without '@', '=', '/' or spaces, and only accesses "
              "its sites allow (loads: plain/once/acquire, reloads also reuse, stores: plain/once/release, "
              "fences: none/rmb/wmb/mb)");

inline constexpr std::size_t kMutantBaseIndex = index_of_recipe(kMutantBase);
inline constexpr std::size_t kMutantCount = count_single_step_weakenings(kRecipes[kMutantBaseIndex].recipe);
inline constexpr auto kMutants = single_step_weakenings<Protocol, kMutantCount>(kRecipes[kMutantBaseIndex].recipe);

// What an engine or the CLI knows about a recipe at run time.
struct RecipeMeta {
  std::string name;
  std::string origin;
  std::string notes;
  bool claimed_correct = false;
  bool is_mutant = false;
  std::optional<Site> mutated_site;  // for a mutant: the one site weakened
  Access mutated_from = Access::kNone;
  Recipe<Protocol> recipe{};
};

RecipeMeta builtin_meta(std::size_t index);
RecipeMeta mutant_meta(std::size_t index);
std::vector<RecipeMeta> all_recipes(bool include_mutants);
std::optional<RecipeMeta> find_recipe(std::string_view name);
std::vector<std::string> recipe_names(bool include_mutants);

// Calls `f.template operator()<kRecipe>(meta)` for every recipe, built-in ones first.
template <class F>
void for_each_recipe(bool include_mutants, F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f.template operator()<kRecipes[I].recipe>(builtin_meta(I)), ...);
  }(std::make_index_sequence<kRecipes.size()>{});
  if (!include_mutants) return;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f.template operator()<kMutants[I].recipe>(mutant_meta(I)), ...);
  }(std::make_index_sequence<kMutantCount>{});
}

// Calls `f.template operator()<kRecipe>(meta)` for the recipe named `name` (a built-in recipe or a mutant).
// Returns false, calling nothing, when no recipe has that name.
template <class F>
bool with_recipe(std::string_view name, F&& f) {
  bool found = false;
  for_each_recipe(true, [&]<Recipe<Protocol> kRecipe>(const RecipeMeta& meta) {
    if (!found && meta.name == name) {
      found = true;
      f.template operator()<kRecipe>(meta);
    }
  });
  return found;
}

}  // namespace dfrace::percpu_swap
