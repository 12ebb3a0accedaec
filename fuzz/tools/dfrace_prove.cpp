// dfrace-prove --recipe NAME [--config NAME | --cpus N --size S --pushes P --drains D --flush --irq --alloc-fail]
//              [--jobs N] [--shard K/N] [--json] [--out FILE] [--unreduced] [--keep-going] [--exact]
// dfrace-prove --merge FILE...   (the --json results of the shards K/N of one proof, one a file)
//
// Explores every execution of one configuration of the real pool (prove/proof.hpp) and says either
//   proved: no violation in N executions of <config> (<model>)          exit 0
// or prints the shortest counterexample it found, saved as a finding file `dfrace repro` replays     exit 1.
// A search that could not finish (a bound, a dead shard, a model limit) proves nothing: exit 3 with the reason.
// Unknown recipe, malformed or impossible configuration: exit 2 with the reason.
//
// Two passes: the abstract model first (zs_free's lock and, without a flusher, the work item's queueing order
// nothing: a superset of the exact model's executions, and a far smaller search; docs/prove.md), then, only if
// that found something (which may need what was abstracted away), the exact model, whose answer is the one
// reported. --exact, --unreduced, --keep-going and --shard search the exact model only (a shard's part of the
// tree is only defined for one model).
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <iostream>
#include <sstream>

#include "infra/behaviours.hpp"
#include "infra/engine_result.hpp"
#include "infra/exit_codes.hpp"
#include "infra/parse_command_line.hpp"
#include "core/format.hpp"
#include "core/verdict.hpp"
#include "exec/registry.hpp"
#include "prove/parallel.hpp"
#include "prove/two_pass.hpp"
#include "prove/proof_json.hpp"
#include "prove/prove_config.hpp"
#include "tools/replay.hpp"

namespace {

using namespace dfrace;
using namespace dfrace::fuzz;

// "--shard 1/4" -> {1, 4}
bool parse_shard(const std::string& s, unsigned& k, unsigned& n) {
  unsigned a = 0, b = 0;
  char slash = 0;
  std::istringstream in(s);
  if (!(in >> a >> slash >> b) || slash != '/' || !in.eof() || b == 0 || a >= b) return false;
  k = a;
  n = b;
  return true;
}

// Appends `shape` unless `shapes` already holds it: a verdict lists each program size once.
void add_distinct(std::vector<ProgramShape>& shapes, const ProgramShape& shape) {
  if (std::find(shapes.begin(), shapes.end(), shape) == shapes.end()) shapes.push_back(shape);
}

// A progress line on stderr about once a second: rewritten in place on a terminal, one line every 10 s otherwise.
std::function<void(const ProofProgress&)> progress_printer(bool quiet) {
  if (quiet) return {};
  const bool tty = ::isatty(2) != 0;
  return [tty, last = -1.0](const ProofProgress& p) mutable {
    if (p.seconds - last < (tty ? 1.0 : 10.0)) return;
    last = p.seconds;
    std::fprintf(stderr, "%sprove: %s executions, %s/s, depth %zu%s", tty ? "\r" : "",
                 with_commas(p.executions).c_str(),
                 with_commas(static_cast<std::uint64_t>(p.seconds > 0 ? p.executions / p.seconds : 0)).c_str(),
                 p.depth, tty ? "   " : "\n");
    std::fflush(stderr);
  };
}

// The prove engine's verdict: the counterexample's (its kind and detail), else clean (the caller says why).
Verdict verdict_of(const std::string& recipe, const ProofResult& r) {
  Verdict v;
  v.engine = "prove";
  v.recipe = recipe;
  if (r.counterexample) {
    const std::string& line = r.counterexample->verdict;
    const auto colon = line.find(": ");
    v.kind = parse_verdict_word(line.substr(0, colon)).value_or(VerdictKind::kInvariant);
    v.detail = colon == std::string::npos ? line : line.substr(colon + 2);
  }
  return v;
}

// What a proof of `c` covers (infra/behaviours.hpp): every store a load may read, and the faults `c` names.
std::vector<std::string> covered_by(const ProveConfig& c) { return behaviours(c.irq, c.alloc_fail, true, c.flush); }

// --merge: the shards of one proof (same recipe, config, N) are complete only together: every K of 0..N-1 present
// once, each complete. Anything else is reported as what it is.
int merge_shards(const std::vector<std::string>& files, bool json) {
  std::string recipe, config;
  unsigned shards = 0;
  std::set<unsigned> seen;
  ProofResult merged;
  merged.complete = true;
  std::vector<std::string> findings;
  for (const std::string& file : files) {
    std::ifstream in(file);
    nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    unsigned k = 0, n = 0;
    try {
      if (doc.is_discarded()) throw std::runtime_error("not JSON");
      if (doc.at("engine") != "prove") throw std::runtime_error("not a prove result (engine is " + doc.at("engine").dump() + ")");
      const auto& v = doc.at("verdicts").at(0);
      if (!parse_shard(v.at("shard").get<std::string>(), k, n)) throw std::runtime_error("bad shard field");
      const std::string r = v.at("recipe").get<std::string>(), c = v.at("config").get<std::string>();
      if (recipe.empty()) {
        recipe = r;
        config = c;
        shards = n;
      } else if (r != recipe || c != config || n != shards) {
        throw std::runtime_error("is " + r + " " + c + " over " + std::to_string(n) + " shards, not " + recipe + " " +
                                 config + " over " + std::to_string(shards));
      }
      if (!seen.insert(k).second) throw std::runtime_error("shard " + std::to_string(k) + " given twice");
      merged.merge(proof_result_from_json(v));
      if (v.contains("finding_file")) findings.push_back(v.at("finding_file").get<std::string>());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "dfrace prove: --merge: %s: %s\n", file.c_str(), e.what());
      return kExitUsage;
    }
  }
  std::vector<unsigned> missing;
  for (unsigned k = 0; k < shards; ++k) {
    if (!seen.count(k)) missing.push_back(k);
  }
  if (!missing.empty()) merged.complete = false;
  const char* outcome = merged.counterexample ? "counterexample" : merged.proved() ? "proved" : "incomplete";
  std::string reason;
  if (!missing.empty()) {
    reason = "missing shard(s)";
    for (unsigned k : missing) reason += " " + std::to_string(k) + "/" + std::to_string(shards);
  } else if (!merged.complete && !merged.counterexample) {
    reason = "a shard did not finish";
  }
  if (json) {
    nlohmann::json v = to_json(merged);
    v["recipe"] = recipe;
    v["config"] = config;
    v["result"] = outcome;
    v["model"] = kProofModel;
    v["shard"] = "merged " + std::to_string(seen.size()) + "/" + std::to_string(shards);
    if (!reason.empty()) v["reason"] = reason;
    if (!findings.empty()) v["finding_file"] = findings.front();
    Verdict verdict = verdict_of(recipe, merged);
    std::string why;
    if (auto c = parse_prove_config(config, why)) verdict.covered = covered_by(*c);
    if (!merged.counterexample) {
      verdict.detail = merged.proved() ? "proved for " + config + " (" + std::to_string(shards) + " shards)"
                                       : "incomplete: " + reason;
    }
    nlohmann::json j = verdict.to_json();
    j.update(v);
    std::cout << make_engine_result("prove", protocol_name_of(recipe), nlohmann::json::array({j})).dump(2) << "\n";
  } else if (merged.counterexample) {
    std::cout << "counterexample: " << merged.counterexample->verdict << " (" << config << ", "
              << (findings.empty() ? std::string("no finding file") : findings.front()) << ")\n";
  } else if (merged.proved()) {
    std::cout << "proved: no violation in " << with_commas(merged.executions) << " executions of " << config
              << " (" << kProofModel << "; " << shards << " shards)\n";
  } else {
    std::cout << "incomplete: " << reason << "; nothing is proved for " << recipe << " " << config << "\n";
  }
  return merged.counterexample ? kExitFinding : merged.proved() ? kExitClean : kExitInternal;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dfrace prove: explore every execution of one configuration of the real pool, with partial-order "
               "reduction; a clean result is a proof for that configuration",
               "dfrace prove"};
  std::string recipe, shard = "0/1", out;
  std::vector<std::string> config_names;
  ProveConfig config;
  unsigned jobs = 1;
  bool json = false, unreduced = false, keep_going = false, quiet = false, exact = false;
  std::uint64_t max_executions = 0;
  std::vector<std::string> merge_files;
  auto* merge = app.add_option("--merge", merge_files, "merge the --json results of a sharded proof (one file per shard)");
  auto* recipe_opt = app.add_option("--recipe", recipe, "recipe to prove (./dfrace recipes --mutants lists them)");
  auto* by_name = app.add_option("--config", config_names,
                                 "configuration by name: <N>cpu-s<SIZE>-p<PUSHES>-d<DRAINS>[-flush][-irq][-allocfail]; "
                                 "repeatable: proved in order, up to the first counterexample");
  auto excl = [&](CLI::Option* o) { return o->excludes(by_name); };
  excl(app.add_option("--cpus", config.cpus, "CPUs, one producer each (default 2)"));
  excl(app.add_option("--size", config.size, "SIZE, handles per buffer (default 1)"));
  excl(app.add_option("--pushes", config.pushes, "handles each producer enqueues (default 2)"));
  excl(app.add_option("--drains", config.drains, "drain runs the work starts by itself, 0 = unbounded (default 2)"));
  excl(app.add_flag("--flush", config.flush, "a thread calls flush() concurrently"));
  excl(app.add_flag("--irq", config.irq, "an interrupt enqueues on cpu0 in the middle of its producer's enqueue"));
  excl(app.add_flag("--alloc-fail", config.alloc_fail, "each of the drain's first four refills may fail"));
  app.add_option("--jobs", jobs, "processes that split the search (default 1)")->check(CLI::Range(1u, 64u));
  app.add_option("--shard", shard, "explore only part K of N of the search (K/N, 0-based); combine with --merge")
      ->default_str("0/1");
  unsigned split_depth = ProofOptions{}.prefix_branches;
  app.add_option("--split-depth", split_depth,
                 "with --shard or --jobs: the first N decisions are expanded to every thread and dealt out")
      ->check(CLI::Range(1u, 64u));
  app.add_option("--out", out, "where to save a counterexample (default: findings/prove-<recipe>-<config>.dfrace)");
  app.add_option("--max-executions", max_executions, "give up (exit 3) after this many executions per configuration");
  app.add_flag("--json", json, "print the result as JSON (the engine result format) instead of text");
  app.add_flag("--unreduced", unreduced, "explore every interleaving (no partial-order reduction): the reference");
  app.add_flag("--keep-going", keep_going, "do not stop at the first counterexample: list every verdict reached");
  app.add_flag("--quiet", quiet, "no progress line");
  app.add_flag("--exact", exact,
               "search the exact model only (by default a clean search of the abstract model, where zs_free's lock "
               "and schedule_work order nothing, is the proof, and the exact model is searched only when it finds "
               "something)");
  if (auto exit_code = parse_command_line(app, argc, argv, "dfrace prove")) return *exit_code;
  if (!merge->empty()) return merge_shards(merge_files, json);
  if (recipe_opt->empty()) {
    std::fprintf(stderr, "dfrace prove: --recipe is required (see --help)\n");
    return kExitUsage;
  }

  auto fail_usage = [](const std::string& why) {
    std::fprintf(stderr, "dfrace prove: %s\n", why.c_str());
    return kExitUsage;
  };
  const ExecFn exec = find_executor(recipe);
  if (exec == nullptr) return fail_usage("unknown recipe '" + recipe + "' (./dfrace recipes --mutants lists them)");
  std::vector<ProveConfig> configs;
  for (const std::string& name : config_names) {
    std::string why;
    auto parsed = parse_prove_config(name, why);
    if (!parsed) return fail_usage(why);
    configs.push_back(*parsed);
  }
  if (configs.empty()) {
    if (std::string why = validate(config); !why.empty()) return fail_usage(why);
    configs.push_back(config);
  }
  ProofOptions options;
  if (!parse_shard(shard, options.shard, options.shards)) {
    return fail_usage("--shard must be K/N with 0 <= K < N (got '" + shard + "')");
  }
  options.prefix_branches = split_depth;
  options.reduce = !unreduced;
  options.keep_going = keep_going;
  options.collect_final_states = keep_going;
  options.max_executions = max_executions;
  options.progress = progress_printer(quiet || json);

  try {
    nlohmann::json verdicts = nlohmann::json::array();
    std::vector<std::string> proved;
    std::uint64_t proved_executions = 0;
    std::vector<std::string> covered_all;  // the union over the configurations proved
    std::vector<ProgramShape> programs_all;  // the programs they explored, every execution of each
    int exit_code = kExitClean;
    const bool abstract_first = !exact && !unreduced && !keep_going && options.shards == 1;
    std::vector<std::string> proved_abstract;
    for (const ProveConfig& cfg : configs) {
      TwoPassResult pass;
      if (abstract_first) {
        pass = prove_abstract_first(exec, cfg.programs(), options, jobs);
      } else {
        pass.result = prove_in_parallel(exec, cfg.programs(), options, jobs);
      }
      if (!quiet && !json && ::isatty(2)) std::fputc('\n', stderr);
      if (pass.abstract && !quiet && !json) {
        std::fprintf(stderr, "prove: the abstract model %s after %s executions; the exact model decided\n",
                     pass.abstract->counterexample ? ("found '" + pass.abstract->counterexample->verdict + "'").c_str()
                                                   : "could not finish",
                     with_commas(pass.abstract->executions).c_str());
      }
      const ProofResult& r = pass.result;
      const std::optional<ProofResult>& abstract = pass.abstract;
      const bool by_abstraction = pass.by_abstraction;
      if (by_abstraction) proved_abstract.push_back(cfg.name());
      const std::string model =
          by_abstraction ? std::string(kProofModel) + "; " + kAbstractModelNote : std::string(kProofModel);
      std::string finding_path;
      if (r.counterexample) {
        finding_path = out.empty() ? "findings/prove-" + recipe + "-" + cfg.name() + ".dfrace" : out;
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(finding_path).parent_path(), ec);
        if (!write_file(finding_path, finding_for(recipe, r.counterexample->input))) {
          std::fprintf(stderr, "dfrace prove: cannot write %s\n", finding_path.c_str());
          return kExitInternal;
        }
      }
      const char* outcome = r.counterexample ? "counterexample" : r.proved() ? "proved" : "incomplete";
      std::string reason;
      if (r.diverged) reason = "the program did not replay deterministically (internal error)";
      else if (r.model_limit) reason = "a load met the store-history bound of the executor: the model was cut short";
      else if (!r.complete && !r.counterexample) reason = max_executions ? "stopped at --max-executions" : "a shard did not finish";
      if (json) {
        // The engine result format: a verdict object as every engine prints it, plus the proof's own fields.
        Verdict v = verdict_of(recipe, r);
        v.covered = covered_by(cfg);
        if (r.proved()) covered_all = behaviours_union(covered_all, *v.covered);
        if (r.counterexample) {
          v.artifacts.push_back(finding_path);
          v.replay = "./dfrace repro --stop-at-race " + finding_path;
        } else {
          if (r.proved()) {
            proved.push_back(cfg.name());
            proved_executions += r.executions;
            // One entry per distinct size: an -allocfail configuration is 16 programs of one size.
            v.programs.emplace();
            for (const Program& p : cfg.programs()) add_distinct(*v.programs, shape_of(p));
            for (const ProgramShape& shape : *v.programs) add_distinct(programs_all, shape);
          }
          v.detail = r.proved() ? "proved for " + cfg.name() + ": " + with_commas(r.executions) + " executions, " +
                                      model
                                : "incomplete (" + reason + "): nothing proved for " + cfg.name();
          v.coverage = Coverage::of(r.directions, *protocol_of(recipe)->directions);
        }
        nlohmann::json j = v.to_json();
        j.update(to_json(r));
        j["config"] = cfg.name();
        j["result"] = outcome;
        j["model"] = model;
        j["abstract_model"] = by_abstraction;
        if (abstract) {
          j["abstract_executions"] = abstract->executions;  // the first pass, before the exact model decided
          if (abstract->counterexample) j["abstract_finding"] = abstract->counterexample->verdict;
        }
        j["reduced"] = !unreduced;
        j["shard"] = shard;
        if (!reason.empty()) j["reason"] = reason;
        if (!finding_path.empty()) j["finding_file"] = finding_path;
        if (r.proved() || r.counterexample) verdicts.push_back(j);
        else if (verdicts.empty()) verdicts.push_back(j);  // an incomplete first configuration still says why
      } else if (r.counterexample) {
        std::cout << "counterexample: " << r.counterexample->verdict << "\n  " << r.counterexample->steps
                  << " scheduling points, the shortest found in " << with_commas(r.executions)
                  << " executions of " << cfg.name() << "\n  finding file: " << finding_path
                  << "\n  replay: ./dfrace repro --stop-at-race " << finding_path << "\n";
        if (!quiet) {
          // The proof stops at the first race (as repro --stop-at-race replays it).
          LoadedSchedule s{recipe, r.counterexample->input, true, false, /*stop_at_race=*/true};
          std::ostringstream text;
          replay(s, text, ReplayOptions{.picture = finding_path + ".svg"});
          std::cout << "\n" << text.str();
        }
      } else if (r.proved()) {
        std::cout << (options.shards > 1 ? "proved (shard " + shard + "): " : std::string("proved: "))
                  << "no violation in " << with_commas(r.executions) << " executions of " << cfg.name() << " ("
                  << model << "; " << (unreduced ? "no reduction" : "partial-order reduction") << ", "
                  << r.seconds << " s)\n";
      } else {
        std::cout << "incomplete: " << reason << " after " << with_commas(r.executions) << " executions of "
                  << cfg.name() << "; nothing is proved\n";
      }
      if (r.counterexample) {
        exit_code = kExitFinding;
        break;
      }
      if (!r.proved()) {
        exit_code = kExitInternal;
        break;
      }
    }
    if (json) {
      // Several configurations proved: one verdict that names them all (the check matrix shows one cell).
      if (proved.size() > 1 && exit_code == kExitClean) {
        nlohmann::json& last = verdicts.back();
        std::string names;
        for (const auto& n : proved) names += (names.empty() ? "" : ", ") + n;
        std::string model = kProofModel;
        if (!proved_abstract.empty()) {
          model += std::string("; ") + kAbstractModelNote;
          if (proved_abstract.size() < proved.size()) {
            std::string which;
            for (const auto& n : proved_abstract) which += (which.empty() ? "" : ", ") + n;
            model += " (for " + which + ")";
          }
        }
        last["detail"] = "proved for " + names + ": " + with_commas(proved_executions) + " executions, " + model;
        last["model"] = model;
        last["line"] = "clean (" + last["detail"].get<std::string>() + ")";
        last["configs_proved"] = proved;
        last["covered"] = covered_all;
        last["programs"] = nlohmann::json::array();
        for (const ProgramShape& p : programs_all) last["programs"].push_back(p.to_json());
        verdicts = nlohmann::json::array({last});
      } else if (exit_code == kExitFinding) {
        verdicts = nlohmann::json::array({verdicts.back()});
      }
      std::cout << make_engine_result("prove", protocol_name_of(recipe), verdicts).dump(2) << "\n";
    }
    return exit_code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dfrace prove: internal error: %s\n", e.what());
    return kExitInternal;
  }
}
