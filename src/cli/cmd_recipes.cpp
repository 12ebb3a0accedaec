// `dfrace recipes [--mutants] [--recipe NAME] [--json]`: the catalogue, access by access.
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "infra/exit_codes.hpp"
#include "infra/recipe_lookup.hpp"
#include "infra/status_exit.hpp"
#include "cli/recipe_json.hpp"
#include "protocols/registry.hpp"

namespace dfrace::cli {

namespace {

struct RecipesOptions {
  bool json = false;
  bool mutants = false;
  std::string recipe;
};

int run_recipes(const RecipesOptions& opt) {
  std::vector<RecipeMeta> selected;
  if (!opt.recipe.empty()) {
    auto meta = lookup_recipe(opt.recipe);
    if (!meta.ok()) return report_failure("dfrace", meta.status());
    selected.push_back(*std::move(meta));
  } else {
    selected = protocols::all_recipes(opt.mutants);
  }
  if (opt.json) {
    nlohmann::json out = nlohmann::json::array();
    for (auto& m : selected) out.push_back(recipe_to_json(m));
    std::cout << out.dump(2) << "\n";
    return kExitClean;
  }
  for (auto& m : selected) {
    std::cout << m.name << (m.claimed_correct ? "  [claimed correct]" : m.is_mutant ? "  [mutant]" : "  [known buggy]")
              << "\n  " << m.protocol->name << ": " << m.origin << "\n";
    if (!m.is_mutant || !opt.recipe.empty()) std::cout << recipe_to_text(m);
    else std::cout << "    " << m.notes << "\n";
    std::cout << "\n";
  }
  return kExitClean;
}

}  // namespace

Action add_recipes_command(CLI::App& app) {
  auto opt = std::make_shared<RecipesOptions>();
  CLI::App* cmd = app.add_subcommand("recipes", "list the recipes, their accesses and whether they are claimed correct");
  cmd->add_flag("--json", opt->json, "machine-readable output");
  cmd->add_flag("--mutants", opt->mutants, "also list the single-step weakenings of the team's recipe");
  cmd->add_option("--recipe", opt->recipe, "show one recipe (a built-in name or a mutant name)");
  return [opt] { return run_recipes(*opt); };
}

}  // namespace dfrace::cli
