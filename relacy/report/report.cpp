#include "platform/relacy_include.hpp"  // first: see its header comment
#include "report/report.hpp"

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "infra/exit_codes.hpp"
#include "core/format.hpp"
#include "infra/behaviours.hpp"
#include "infra/engine_result.hpp"
#include "models/model_config.hpp"

namespace dfrace::relacy {

Verdict combined_verdict(const RecipeReport& r) {
  for (const auto& run : r.runs) {
    if (!run.verdict.clean()) return run.verdict;
  }
  Verdict v;
  v.engine = "relacy";
  v.recipe = r.meta.name;
  // One line for the matrix: how many configurations and executions, by kind of search. Each configuration's
  // own figures are in the per-run output and the JSON.
  Coverage c;
  std::uint64_t executions = 0;
  int full = 0, bounded = 0, random = 0;
  for (const auto& run : r.runs) {
    executions += run.iterations;
    full += run.search == SearchKind::kExhaustive;
    bounded += run.search == SearchKind::kContextBound;
    random += run.search == SearchKind::kRandom;
    if (run.verdict.coverage) c.merge(*run.verdict.coverage);
    for (auto& a : run.verdict.artifacts) v.artifacts.push_back(a);
  }
  v.coverage = c;
  std::string kinds;
  auto add = [&](int n, const char* what) {
    if (n > 0) kinds += (kinds.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  };
  add(full, "full");
  add(bounded, "context-bound");
  add(random, "random");
  v.detail = std::to_string(r.runs.size()) + " configs (" + kinds + "), " + with_commas(executions) + " executions";
  return v;
}

nlohmann::json reports_to_json(const std::vector<RecipeReport>& reports) {
  nlohmann::json verdicts = nlohmann::json::array();
  for (const auto& r : reports) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& run : r.runs) {
      runs.push_back({{"config", run.config},
                      {"search", search_name(run.search)},
                      {"exhaustive", run.search == SearchKind::kExhaustive},
                      {"iterations", run.iterations},
                      {"wall_seconds", run.seconds},
                      {"location", run.location},
                      {"history", run.history_path},
                      {"verdict", run.verdict.to_json()}});
    }
    // Where the verdict came from: the flagging run's config and the failing access in the pool source.
    std::string config, location;
    for (const auto& run : r.runs) {
      if (!run.verdict.clean()) {
        config = run.config;
        location = run.location;
        break;
      }
    }
    nlohmann::json v = combined_verdict(r).to_json();
    // What the models it ran could produce (infra/behaviours.hpp): relaxed-memory outcomes always, a flush and
    // failing refills in the models that have them; never an interrupt.
    // And how large they were: a bug that needs more CPUs or pushes than every model had is beyond this run.
    std::vector<std::string> covered = behaviours(false, false, true, false);
    nlohmann::json programs = nlohmann::json::array();
    for (const auto& run : r.runs) {
      if (auto c = find_config(model_configs(r.meta.protocol->name), run.config)) {
        covered = behaviours_union(covered, behaviours(false, c->alloc_faults, true, c->flush));
        programs.push_back(ProgramShape{c->cpus, static_cast<unsigned>(c->size), std::vector<unsigned>(c->cpus, c->pushes)}.to_json());
      }
    }
    v["covered"] = covered;
    if (!programs.empty()) v["programs"] = programs;
    v["mutant"] = r.meta.is_mutant;
    v["claimed_correct"] = r.meta.claimed_correct;
    v["flagged_by_config"] = config;
    v["location"] = location;
    v["runs"] = runs;
    verdicts.push_back(std::move(v));
  }
  return make_engine_result("relacy", reports.empty() ? "" : reports.front().meta.protocol->name,
                            std::move(verdicts));
}

void print_summary(std::ostream& out, const std::vector<RecipeReport>& reports) {
  for (const auto& r : reports) out << r.meta.name << ": " << combined_verdict(r).line() << "\n";
  out << "\nper configuration:\n";
  for (const auto& r : reports) {
    for (const auto& run : r.runs) {
      out << "  " << r.meta.name << " / " << run.config << ": " << run.verdict.line() << "  [" << search_name(run.search)
          << ", " << run.iterations << " iterations, " << std::fixed << std::setprecision(2) << run.seconds << " s]";
      if (run.verdict.coverage) {
        out << " exercised:";
        for (auto& d : run.verdict.coverage->describe()) out << " " << d << ";";
      }
      if (!run.location.empty()) out << "\n      at " << run.location;
      out << "\n";
    }
  }
  out << "\nRelacy histories:\n";
  for (const auto& r : reports) {
    for (const auto& run : r.runs) {
      if (!run.verdict.clean()) out << "  " << run.history_path << "\n";
    }
  }
}

void print_mutant_table(std::ostream& out, const std::vector<RecipeReport>& reports) {
  out << "\n| mutant | weakening | verdict | caught by | load-bearing? |\n|---|---|---|---|---|\n";
  for (const auto& r : reports) {
    if (!r.meta.is_mutant) continue;
    const Verdict v = combined_verdict(r);
    std::string caught;
    for (const auto& run : r.runs) {
      if (!run.verdict.clean()) caught += (caught.empty() ? "" : ", ") + run.config;
    }
    out << "| `" << r.meta.name << "` | " << r.meta.notes << " | " << v.line() << " | " << (caught.empty() ? "-" : caught)
        << " | " << (v.clean() ? "no (harmless in these models)" : "yes") << " |\n";
  }
}

int compare_with_expectations(const std::vector<std::string>& paths, const std::vector<RecipeReport>& reports,
                              std::string& why) {
  nlohmann::json j = {{"recipes", nlohmann::json::object()}};
  for (const auto& path : paths) {
    std::ifstream in(path);
    if (!in) {
      why = "cannot read expectations file '" + path + "'";
      return kExitUsage;
    }
    nlohmann::json one = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (one.is_discarded() || !one.contains("recipes") || !one["recipes"].is_object()) {
      why = "expectations file '" + path + "' is not {\"recipes\": {...}}";
      return kExitUsage;
    }
    j["recipes"].update(one["recipes"]);
  }
  std::ostringstream diff;
  for (const auto& r : reports) {
    const Verdict v = combined_verdict(r);
    if (!j["recipes"].contains(r.meta.name)) {
      // A recipe with no demonstrated verdict on record is held to its claim: a correct one must be clean. A
      // claimed-buggy recipe (or a mutant, which claims nothing) needs the verdict an engine demonstrated.
      if (r.meta.is_mutant || !r.meta.claimed_correct) {
        diff << "no expectation for " << r.meta.name << " (it gave: " << v.line() << "); record the verdict an "
             << "engine demonstrated beside the recipe, in src/protocols/" << r.meta.protocol->name
             << "/expected_verdicts.json\n";
      } else if (!v.clean()) {
        diff << "REGRESSION " << r.meta.name << ": claimed correct, got " << v.line() << "\n";
      }
      continue;
    }
    const auto& e = j["recipes"][r.meta.name];
    const std::string want = e.value("verdict", "");
    const std::string want_detail = e.value("detail", "");
    if (want != verdict_word(v.kind) || (!v.clean() && !want_detail.empty() && want_detail != v.detail)) {
      diff << "REGRESSION " << r.meta.name << ": expected " << want << (want_detail.empty() ? "" : ": " + want_detail)
           << ", got " << v.line() << "\n";
    }
  }
  why = diff.str();
  return why.empty() ? kExitClean : kExitFinding;
}

}  // namespace dfrace::relacy
