#include "protocols/percpu_swap/catalogue.hpp"

namespace dfrace::percpu_swap {

RecipeMeta builtin_meta(std::size_t index) {
  const auto& e = kRecipes[index];
  RecipeMeta m;
  m.name = std::string(e.name);
  m.origin = std::string(e.origin);
  m.notes = std::string(e.notes);
  m.claimed_correct = e.claimed_correct;
  m.recipe = e.recipe;
  return m;
}

RecipeMeta mutant_meta(std::size_t index) {
  const auto& mu = kMutants[index];
  const auto& site = Protocol::kSites[mu.site];
  RecipeMeta m;
  m.name = mutant_name(kMutantBase, site.name, mu.to);
  m.origin = "mutant of " + std::string(kMutantBase);
  m.notes = std::string(site.name) + ": " + std::string(access_name(mu.from)) + " -> " +
            std::string(access_name(mu.to));
  m.claimed_correct = false;  // a mutant is a question for the engines, not a claim
  m.is_mutant = true;
  m.mutated_site = static_cast<Site>(mu.site);
  m.mutated_from = mu.from;
  m.recipe = mu.recipe;
  return m;
}

std::vector<RecipeMeta> all_recipes(bool include_mutants) {
  std::vector<RecipeMeta> out;
  for (std::size_t i = 0; i < kRecipes.size(); ++i) out.push_back(builtin_meta(i));
  if (include_mutants) {
    for (std::size_t i = 0; i < kMutantCount; ++i) out.push_back(mutant_meta(i));
  }
  return out;
}

std::optional<RecipeMeta> find_recipe(std::string_view name) {
  for (auto& m : all_recipes(true)) {
    if (m.name == name) return m;
  }
  return std::nullopt;
}

std::vector<std::string> recipe_names(bool include_mutants) {
  std::vector<std::string> out;
  for (auto& m : all_recipes(include_mutants)) out.push_back(m.name);
  return out;
}

}  // namespace dfrace::percpu_swap
