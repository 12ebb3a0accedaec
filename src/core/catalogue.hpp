// Catalogue<Plugin>: every recipe of one protocol an engine can run — the entries of its recipes.hpp plus the
// mechanically generated single-step weakenings of its mutant base — and RecipeMeta, what code that is not
// templated on the protocol knows about a recipe.
//
// A protocol's plug-in (its folder's plugin.hpp) names `Protocol`, `kRecipes` and `kMutantBase`; engines never
// name a recipe or a protocol in code: they visit the registered protocols' catalogues (protocols/registry.hpp)
// and get each recipe as a compile-time constant to instantiate the pool with.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/protocol_info.hpp"
#include "core/recipe.hpp"

namespace dfrace {

// What an engine or the CLI knows about a recipe at run time, whatever its protocol.
struct RecipeMeta {
  std::string name;
  std::string origin;
  std::string notes;
  bool claimed_correct = false;
  bool is_mutant = false;
  const ProtocolInfo* protocol = nullptr;
  std::optional<std::size_t> mutated_site;  // for a mutant: the one site weakened
  Access mutated_from = Access::kNone;
  std::vector<Access> access;  // per site of protocol->sites
  std::vector<std::pair<std::string, bool>> options;  // the protocol's structural switches, described
};

template <class Entries>
consteval std::size_t index_of_recipe(const Entries& entries, std::string_view name) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].name == name) return i;
  }
  throw "no such recipe";  // a compile error: kMutantBase must name an entry of kRecipes
}

template <class Entries>
consteval bool catalogue_is_well_formed(const Entries& entries) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (first_invalid_site(entries[i].recipe).has_value()) return false;
    if (entries[i].name.empty() || entries[i].name.find_first_of("@= /") != std::string_view::npos) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (entries[i].name == entries[j].name) return false;
    }
  }
  return true;
}

template <class Plugin>
struct Catalogue {
  using Protocol = typename Plugin::Protocol;
  static constexpr const auto& kRecipes = Plugin::kRecipes;
  static_assert(catalogue_is_well_formed(kRecipes),
                "recipes.hpp: each recipe needs a unique name without '@', '=', '/' or spaces, and only accesses "
                "its sites allow (loads: plain/once/acquire, reloads also reuse, stores: plain/once/release, "
                "fences: none/rmb/wmb/mb)");
  static constexpr std::size_t kMutantBaseIndex = index_of_recipe(kRecipes, Plugin::kMutantBase);
  static constexpr std::size_t kMutantCount = count_single_step_weakenings(kRecipes[kMutantBaseIndex].recipe);
  static constexpr auto kMutants = single_step_weakenings<Protocol, kMutantCount>(kRecipes[kMutantBaseIndex].recipe);

  static RecipeMeta builtin_meta(std::size_t index) {
    const auto& e = kRecipes[index];
    RecipeMeta m = described(e.recipe);
    m.name = std::string(e.name);
    m.origin = std::string(e.origin);
    m.notes = std::string(e.notes);
    m.claimed_correct = e.claimed_correct;
    return m;
  }

  static RecipeMeta mutant_meta(std::size_t index) {
    const auto& mu = kMutants[index];
    const auto& site = Protocol::kSites[mu.site];
    RecipeMeta m = described(mu.recipe);
    m.name = mutant_name(Plugin::kMutantBase, site.name, mu.to);
    m.origin = "mutant of " + std::string(Plugin::kMutantBase);
    m.notes = std::string(site.name) + ": " + std::string(access_name(mu.from)) + " -> " +
              std::string(access_name(mu.to));
    m.claimed_correct = false;  // a mutant is a question for the engines, not a claim
    m.is_mutant = true;
    m.mutated_site = mu.site;
    m.mutated_from = mu.from;
    return m;
  }

  // Calls `f.template operator()<kRecipe>(meta)` for every recipe, built-in ones first.
  template <class F>
  static void for_each_recipe(bool include_mutants, F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (f.template operator()<kRecipes[I].recipe>(builtin_meta(I)), ...);
    }(std::make_index_sequence<kRecipes.size()>{});
    if (!include_mutants) return;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (f.template operator()<kMutants[I].recipe>(mutant_meta(I)), ...);
    }(std::make_index_sequence<kMutantCount>{});
  }

  static std::vector<RecipeMeta> all_recipes(bool include_mutants) {
    std::vector<RecipeMeta> out;
    for (std::size_t i = 0; i < kRecipes.size(); ++i) out.push_back(builtin_meta(i));
    if (include_mutants) {
      for (std::size_t i = 0; i < kMutantCount; ++i) out.push_back(mutant_meta(i));
    }
    return out;
  }

 private:
  static RecipeMeta described(const Recipe<Protocol>& r) {
    RecipeMeta m;
    m.protocol = &protocol_info<Protocol>();
    m.access.assign(r.access.begin(), r.access.end());
    m.options = Protocol::describe(r.options);
    return m;
  }
};

}  // namespace dfrace
