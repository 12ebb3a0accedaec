// `dfrace check`: every engine on every recipe within a time budget, one verdict matrix, one report. For a CI
// matrix: `--shard K/N --results DIR` runs one share of the recipes and saves the engine runs, `--merge DIR...`
// rebuilds the one matrix, report and exit status from them (check/merge.hpp).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "check/engines.hpp"
#include "check/matrix.hpp"
#include "check/merge.hpp"
#include "check/report.hpp"
#include "cli/commands.hpp"
#include "infra/exit_codes.hpp"
#include "infra/interrupt.hpp"
#include "infra/quote.hpp"
#include "infra/recipe_lookup.hpp"
#include "infra/status_exit.hpp"
#include "protocols/registry.hpp"

namespace dfrace::cli {

namespace {

namespace fs = std::filesystem;

struct CheckOptions {
  std::vector<std::string> recipes;
  bool mutants = false;
  int budget = 300;  // seconds, the whole run; the issue asks for at most five minutes by default
  bool json = false;
  std::string out = "dfrace-report";
  std::string build_root = "build";
  std::vector<std::string> engines;
  std::string shard;                // "K/N": only recipes K, K+N, ... of the list
  std::string results;              // save every engine run here, for --merge
  std::vector<std::string> merge;   // shard result directories to merge instead of running engines
};

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&t));
  return buf;
}

// Seconds each time-budgeted engine run gets, so that all of them, `parallel` at a time, fit in what is left.
int seconds_per_run(int remaining, std::size_t runs, int parallel) {
  if (runs == 0) return 0;
  constexpr int kStartupOverhead = 4;  // process start, sanitizer runtime, replay of a finding
  const int waves = static_cast<int>((runs + parallel - 1) / parallel);
  return std::max(5, remaining / waves - kStartupOverhead);
}

// The report, the text or JSON on stdout, and the exit status: the same for a run and a merge.
int finish(const check::Matrix& matrix, const CheckOptions& opt, const std::string& how_far, const std::string& note) {
  check::ReportInfo info;
  info.generated = utc_now();
  info.how_far = how_far;
  auto written = check::write_report(matrix, info, opt.out);
  if (opt.json) {
    nlohmann::json j = matrix.to_json();
    j["report"] = written.back().string();
    if (!note.empty()) j["note"] = note;
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "\n" << check::render_text(matrix) << (note.empty() ? "" : note + "\n") << "Report: "
              << written.back().string() << " (also " << written[1].string() << ", " << written[0].string() << ")\n";
  }
  // The bottom line follows the claims (check/matrix.hpp): a violated or undemonstrated claim, or engines that
  // conflict without an explanation, is a finding.
  if (matrix.problems()) return kExitFinding;
  if (matrix.any_error() || !note.empty()) return kExitInternal;
  return kExitClean;
}

check::MatrixRow row_of(const RecipeMeta& r) { return {r.name, r.claimed_correct, r.is_mutant, {}}; }

// --merge: the shards' saved engine runs through the same fill_cells() and matrix rules as a live run.
int merge_check(const CheckOptions& opt) {
  std::vector<fs::path> dirs(opt.merge.begin(), opt.merge.end());
  auto shards = check::load_shards(dirs);
  if (!shards.ok()) return report_failure("dfrace", shards.status());
  check::Matrix matrix;
  matrix.engines = shards->engines;
  for (const auto& name : shards->recipes) {
    auto meta = lookup_recipe(name);
    if (!meta.ok()) return report_failure("dfrace", meta.status());
    matrix.rows.push_back(row_of(*meta));
  }
  double seconds = 0;
  for (const auto& run : shards->runs) {
    try {
      check::fill_cells(run.job, run.outcome, run.seconds, matrix);
    } catch (const std::logic_error&) {  // a run for a recipe no shard lists: the directories are not one run's
      std::string names;
      for (const auto& r : run.job.recipes) names += " " + quote_escaped(r);
      std::fprintf(stderr, "dfrace: --merge: a saved %s run is for recipe(s)%s, which no shard.json lists\n",
                   run.job.engine.c_str(), names.c_str());
      return kExitUsage;
    }
    seconds += run.seconds;
  }
  std::string note;
  if (!shards->missing.empty()) {
    note = "Incomplete: no results from shard(s)";
    for (const auto& m : shards->missing) note += " " + m;
    note += "; their recipes are not in the matrix.";
  }
  char how[160];
  std::snprintf(how, sizeof how, "merged %zu of %u shards: %zu engine runs, %.0f s of engine time", dirs.size(),
                shards->n, shards->runs.size(), seconds);
  return finish(matrix, opt, how, note);
}

int run_check(const CheckOptions& opt) {
  if (!opt.merge.empty()) return merge_check(opt);
  std::vector<RecipeMeta> recipes;
  if (opt.recipes.empty()) {
    recipes = protocols::all_recipes(opt.mutants);
  } else {
    for (const auto& name : opt.recipes) {
      auto meta = lookup_recipe(name);
      if (!meta.ok()) return report_failure("dfrace", meta.status());
      recipes.push_back(*std::move(meta));
    }
  }
  std::vector<std::size_t> positions;  // of each recipe in the whole list (a shard's share)
  for (std::size_t i = 0; i < recipes.size(); ++i) positions.push_back(i);
  if (!opt.shard.empty()) {
    check::Shard shard;
    if (!check::parse_shard(opt.shard, shard)) {
      std::fprintf(stderr, "dfrace: --shard %s is not K/N with 0 <= K < N\n", quote_escaped(opt.shard).c_str());
      return kExitUsage;
    }
    std::vector<std::string> all;
    for (const auto& r : recipes) all.push_back(r.name);
    std::vector<RecipeMeta> share;
    positions.clear();
    for (const auto& [pos, name] : check::select_shard(all, shard)) {
      share.push_back(recipes[pos]);
      positions.push_back(pos);
    }
    recipes = std::move(share);
  }
  std::vector<check::EngineSpec> specs;
  for (const auto& spec : check::engine_specs()) {
    if (opt.engines.empty() || std::count(opt.engines.begin(), opt.engines.end(), spec.name)) specs.push_back(spec);
  }
  for (const auto& e : opt.engines) {
    if (std::none_of(specs.begin(), specs.end(), [&](const auto& s) { return s.name == e; })) {
      std::fprintf(stderr, "dfrace: unknown engine %s (engines: relacy, fuzz, tsan, prove)\n", quote_escaped(e).c_str());
      return kExitUsage;
    }
  }
  for (const auto& spec : specs) {
    if (!fs::exists(fs::path(opt.build_root) / spec.binary)) {
      std::fprintf(stderr, "dfrace: engine %s is not built (%s missing); run ./dfrace check, which builds it\n",
                   spec.name.c_str(), (fs::path(opt.build_root) / spec.binary).c_str());
      return kExitInternal;
    }
  }

  // Ctrl-C or SIGTERM: the running engines' process groups are ended (run_jobs), then this process dies of the
  // same signal. Nothing keeps running to the end of its budget.
  install_interrupt_handlers();
  auto stop_if_interrupted = [&] {
    if (interrupt_signal() == 0) return;
    std::fprintf(stderr, "dfrace: interrupted (SIG%s); the engines were stopped, no report written\n",
                 sigabbrev_np(interrupt_signal()));
    exit_as_interrupted();
  };
  auto job_for = [&](const check::EngineSpec& spec, const std::vector<std::string>& job_recipes, int seconds) {
    check::EngineJob job = check::make_job(spec, opt.build_root, job_recipes, seconds, opt.out);
    for (const auto& r : recipes) {
      if (r.name == job_recipes.front()) job.protocol = std::string(r.protocol->name);
    }
    return job;
  };

  check::Matrix matrix;
  for (const auto& spec : specs) matrix.engines.push_back(spec.name);
  for (const auto& r : recipes) matrix.rows.push_back(row_of(r));
  std::vector<std::string> names;
  for (const auto& r : recipes) names.push_back(r.name);
  std::function<void(const check::EngineJob&, const check::JobOutcome&, double)> save;
  if (!opt.results.empty()) {
    std::vector<std::pair<std::size_t, std::string>> listed;
    for (std::size_t i = 0; i < names.size(); ++i) listed.emplace_back(positions[i], names[i]);
    check::Shard shard;
    if (!opt.shard.empty()) check::parse_shard(opt.shard, shard);
    std::string registered;  // the build's protocols: shards of one run were built with the same ones
    for (const ProtocolInfo* p : protocols::protocols()) registered += (registered.empty() ? "" : ",") + std::string(p->name);
    check::save_manifest(opt.results, shard, listed, matrix.engines, registered);
    save = [&](const check::EngineJob& job, const check::JobOutcome& outcome, double seconds) {
      check::save_run(opt.results, {job, outcome, seconds});
    };
  }

  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count());
  };
  auto progress = [&](const std::string& line) { std::fprintf(stderr, "[%4ds] %s\n", elapsed(), line.c_str()); };
  progress("checking " + std::to_string(recipes.size()) + " recipes with " + std::to_string(specs.size()) +
           " engines, budget " + std::to_string(opt.budget) + " s; report in " + opt.out + "/");

  // Exhaustive engines first (not time-budgeted), then the budgeted ones two at a time: the machine has 2 cores.
  constexpr int kParallel = 2;
  std::vector<check::EngineJob> exhaustive, budgeted;
  for (const auto& spec : specs) {
    if (spec.time_budgeted) continue;
    if (spec.one_process_for_all_recipes) {  // one process per protocol: an engine result names one
      for (const ProtocolInfo* p : protocols::protocols()) {
        std::vector<std::string> of_protocol;
        for (const auto& r : recipes) {
          if (r.protocol == p) of_protocol.push_back(r.name);
        }
        if (!of_protocol.empty()) exhaustive.push_back(job_for(spec, of_protocol, 0));
      }
    } else {
      for (const auto& name : names) exhaustive.push_back(job_for(spec, {name}, 0));
    }
  }
  check::run_jobs(exhaustive, kParallel, matrix, progress, save);
  stop_if_interrupted();
  std::size_t budgeted_runs = 0;
  for (const auto& spec : specs) budgeted_runs += spec.time_budgeted ? names.size() : 0;
  const int per_run = seconds_per_run(opt.budget - elapsed(), budgeted_runs, kParallel);
  if (budgeted_runs > 0) progress("each fuzz/stress run gets " + std::to_string(per_run) + " s");
  for (const auto& name : names) {
    for (const auto& spec : specs) {
      if (spec.time_budgeted) budgeted.push_back(job_for(spec, {name}, per_run));
    }
  }
  check::run_jobs(budgeted, kParallel, matrix, progress, save);
  stop_if_interrupted();

  return finish(matrix, opt,
                "budget " + std::to_string(opt.budget) + " s (took " + std::to_string(elapsed()) + " s), " +
                    std::to_string(per_run) + " s per fuzz/stress run" +
                    (opt.shard.empty() ? std::string() : ", shard " + opt.shard),
                "");
}

}  // namespace

Action add_check_command(CLI::App& app) {
  auto opt = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check", "run every engine on every recipe and print the verdict matrix");
  cmd->add_option("--recipe", opt->recipes, "only these recipes (repeatable; default: all built-in and user recipes)");
  cmd->add_flag("--mutants", opt->mutants, "also the single-step weakenings of the team's recipe");
  cmd->add_option("--budget", opt->budget, "seconds for the whole run")->check(CLI::Range(30, 7 * 24 * 3600));
  cmd->add_flag("--json", opt->json, "print the matrix as JSON");
  cmd->add_option("--out", opt->out, "report directory");
  cmd->add_option("--build-root", opt->build_root, "where the presets are built (./dfrace passes it)");
  cmd->add_option("--engine", opt->engines, "only these engines (repeatable: relacy, fuzz, tsan, prove)");
  cmd->add_option("--shard", opt->shard, "only share K of N of the recipe list (K/N, 0-based: recipes K, K+N, ...)");
  cmd->add_option("--results", opt->results, "also save every engine run in this directory, for --merge");
  cmd->add_option("--merge", opt->merge,
                  "merge the --results directories of a sharded check into one report and exit status "
                  "(no engine runs)")
      ->excludes("--shard")
      ->excludes("--results");
  return [opt] { return run_check(*opt); };
}

}  // namespace dfrace::cli
