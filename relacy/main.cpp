// dfrace-relacy: `dfrace relacy [--recipe NAME|--all] [--mutants] [--config NAME] [--search ...] [--json]`.
//
// Runs every selected recipe (looked up in the catalogue, so user-added recipes and all mutants are included) in
// every selected model configuration under Relacy, prints one verdict line per recipe (a short summary first, the
// history file paths after), and exits 0 when all are clean, 1 when a recipe was flagged (or, with --expect, when
// a verdict differs from the expectations file), 2 on bad usage, 3 on an internal failure.
#include "platform/relacy_include.hpp"  // first: see its header comment

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "infra/exit_codes.hpp"
#include "infra/recipe_lookup.hpp"
#include "infra/parse_command_line.hpp"
#include "platform/site_locations.hpp"
#include "protocols/registry.hpp"
#include "report/report.hpp"
#include "runner/run_model.hpp"

namespace {

using namespace dfrace;
using namespace dfrace::relacy;

struct Options {
  std::vector<std::string> recipes;
  bool all = false;
  bool mutants = false;
  std::vector<std::string> configs;
  bool list_configs = false;
  std::string search;
  std::uint64_t iterations = 0;
  unsigned context_bound = 0;
  bool json = false;
  std::string out_dir = "dfrace-report/relacy";
  std::vector<std::string> expect;
  bool table = false;
  bool all_configs_per_recipe = false;
};

int usage_error(const std::string& why) {
  std::fprintf(stderr, "dfrace-relacy: %s\n", why.c_str());
  return kExitUsage;
}

std::string file_safe(std::string s) {
  for (char& c : s) {
    if (c == '/' || c == ' ') c = '_';
  }
  return s;
}

// Each registered protocol's model configurations, by protocol name.
std::map<std::string_view, const std::vector<ModelConfig>*> configs_by_protocol() {
  std::map<std::string_view, const std::vector<ModelConfig>*> out;
  for (const ProtocolInfo* p : protocols::protocols()) out[p->name] = &model_configs(p->name);
  return out;
}

int run(const Options& opt) {
  const auto all_configs = configs_by_protocol();
  if (opt.list_configs) {
    for (const auto& [protocol, configs] : all_configs) {
      if (all_configs.size() > 1) std::cout << "protocol " << protocol << ":\n";
      for (const auto& c : *configs) {
        std::cout << c.name << (c.in_default_set ? "" : "  [not in the default set]") << "\n  " << c.description
                  << "\n  threads " << c.threads() << ", default search " << search_name(c.search)
                  << (c.search == SearchKind::kContextBound ? " " + std::to_string(c.context_bound)
                      : c.search == SearchKind::kRandom     ? " " + std::to_string(c.random_iterations)
                                                            : std::string())
                  << "\n";
      }
    }
    return kExitClean;
  }
  // Which recipes.
  std::vector<std::string> names = opt.recipes;
  if (opt.all || (names.empty() && !opt.mutants)) {
    for (auto& n : protocols::recipe_names(false)) names.push_back(n);
  }
  if (opt.mutants) {
    for (auto& m : protocols::all_recipes(true)) {
      if (m.is_mutant) names.push_back(m.name);
    }
  }
  // Which configurations: each recipe runs in its own protocol's.
  std::map<std::string_view, std::vector<ModelConfig>> configs;
  for (auto& n : names) {
    auto meta = lookup_recipe(n);
    if (!meta.ok()) return usage_error(std::string(meta.status().message()));
    const std::string_view protocol = meta->protocol->name;
    if (configs.contains(protocol)) continue;
    std::vector<ModelConfig>& chosen = configs[protocol];
    if (opt.configs.empty()) {
      for (const auto& c : *all_configs.at(protocol)) {
        if (c.in_default_set) chosen.push_back(c);
      }
    } else {
      for (auto& c_name : opt.configs) {
        auto c = find_config(*all_configs.at(protocol), c_name);
        if (!c) {
          return usage_error("unknown config '" + c_name + "' for protocol " + std::string(protocol) +
                             " (see --list-configs)");
        }
        chosen.push_back(*c);
      }
    }
  }
  SearchSpec search;
  if (!opt.search.empty()) {
    search.kind = parse_search(opt.search);
    if (!search.kind) return usage_error("--search must be exhaustive, random or context-bound, not '" + opt.search + "'");
  }
  search.iterations = opt.iterations;
  search.context_bound = opt.context_bound;
  std::error_code ec;
  std::filesystem::create_directories(opt.out_dir, ec);
  if (ec) return usage_error("cannot create --out directory '" + opt.out_dir + "': " + ec.message());

  std::vector<RecipeReport> reports;
  for (const auto& name : names) {
    protocols::with_recipe(name, [&]<class Plugin, Recipe<typename Plugin::Protocol> kRecipe>(const RecipeMeta& meta) {
      use_protocol(*meta.protocol);
      RecipeReport rep{meta, {}};
      for (const auto& cfg : configs.at(meta.protocol->name)) {
        const std::string path = opt.out_dir + "/" + file_safe(meta.name) + "__" + cfg.name + ".txt";
        if (!opt.json) std::cerr << "relacy: " << meta.name << " / " << cfg.name << " ...\n";
        rep.runs.push_back(run_model<Plugin, kRecipe>(meta, cfg, search, path));
        if (!rep.runs.back().verdict.clean() && !opt.all_configs_per_recipe) break;
      }
      reports.push_back(std::move(rep));
    });
  }

  bool flagged = false;
  for (auto& r : reports) flagged |= !combined_verdict(r).clean();
  if (opt.json) {
    std::cout << reports_to_json(reports).dump(2) << "\n";
  } else {
    print_summary(std::cout, reports);
    if (opt.table) print_mutant_table(std::cout, reports);
  }
  if (!opt.expect.empty()) {
    std::string why;
    const int rc = compare_with_expectations(opt.expect, reports, why);
    if (rc == kExitUsage) return usage_error(why);
    if (rc != kExitClean) {
      std::cerr << why;
      return kExitFinding;
    }
    std::cerr << "relacy: every verdict matches the expectations\n";
    return kExitClean;
  }
  return flagged ? kExitFinding : kExitClean;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dfrace relacy: exhaustive interleavings of the real pool under Relacy, per recipe", "dfrace-relacy"};
  Options opt;
  app.add_option("--recipe", opt.recipes, "a recipe or mutant name (repeatable)");
  app.add_flag("--all", opt.all, "every built-in recipe");
  app.add_flag("--mutants", opt.mutants, "add every mutant of the team's recipe");
  app.add_option("--config", opt.configs, "a model configuration (repeatable; see --list-configs)");
  app.add_flag("--list-configs", opt.list_configs, "list the model configurations");
  app.add_option("--search", opt.search, "exhaustive | random | context-bound (default: per config)");
  app.add_option("--iterations", opt.iterations, "iteration budget of random / context-bound search");
  app.add_option("--context-bound", opt.context_bound, "preemption bound of context-bound search (default: the config's)");
  app.add_flag("--json", opt.json, "machine-readable output");
  app.add_option("--out", opt.out_dir, "where the Relacy histories go (default dfrace-report/relacy)");
  app.add_option("--expect", opt.expect, "compare each recipe's verdict with these expectations files (repeatable)");
  app.add_flag("--table", opt.table, "print the mutant table (markdown)");
  app.add_flag("--every-config", opt.all_configs_per_recipe,
               "run every config even after one flagged the recipe (for the mutant table)");
  if (auto exit_code = dfrace::parse_command_line(app, argc, argv, "dfrace-relacy")) return *exit_code;
  try {
    return run(opt);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dfrace-relacy: internal error: %s\n", e.what());
    return kExitInternal;
  }
}
