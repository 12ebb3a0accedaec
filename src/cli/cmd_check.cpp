// `dfrace check`: every engine on every recipe within a time budget, one verdict matrix, one report.
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
#include "check/report.hpp"
#include "cli/commands.hpp"
#include "infra/exit_codes.hpp"
#include "infra/interrupt.hpp"
#include "infra/quote.hpp"
#include "infra/recipe_lookup.hpp"
#include "infra/status_exit.hpp"
#include "protocols/percpu_swap/catalogue.hpp"

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

int run_check(const CheckOptions& opt) {
  using namespace dfrace::percpu_swap;
  std::vector<RecipeMeta> recipes;
  if (opt.recipes.empty()) {
    recipes = all_recipes(opt.mutants);
  } else {
    for (const auto& name : opt.recipes) {
      auto meta = lookup_recipe(name);
      if (!meta.ok()) return report_failure("dfrace", meta.status());
      recipes.push_back(*std::move(meta));
    }
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
    job.protocol = std::string(percpu_swap::Protocol::kName);
    return job;
  };

  check::Matrix matrix;
  for (const auto& spec : specs) matrix.engines.push_back(spec.name);
  for (const auto& r : recipes) matrix.rows.push_back({r.name, r.claimed_correct, r.is_mutant, {}});
  std::vector<std::string> names;
  for (const auto& r : recipes) names.push_back(r.name);

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
    if (spec.one_process_for_all_recipes) {
      exhaustive.push_back(job_for(spec, names, 0));
    } else {
      for (const auto& name : names) exhaustive.push_back(job_for(spec, {name}, 0));
    }
  }
  check::run_jobs(exhaustive, kParallel, matrix, progress);
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
  check::run_jobs(budgeted, kParallel, matrix, progress);
  stop_if_interrupted();

  check::ReportInfo info;
  info.generated = utc_now();
  info.how_far = "budget " + std::to_string(opt.budget) + " s (took " + std::to_string(elapsed()) + " s), " +
                 std::to_string(per_run) + " s per fuzz/stress run";
  auto written = check::write_report(matrix, info, opt.out);
  if (opt.json) {
    nlohmann::json j = matrix.to_json();
    j["report"] = written.back().string();
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "\n" << check::render_text(matrix) << "Report: " << written.back().string() << " (also "
              << written[1].string() << ", " << written[0].string() << ")\n";
  }
  // The bottom line follows the claims (check/matrix.hpp): a violated or undemonstrated claim, or engines that
  // conflict without an explanation, is a finding.
  if (matrix.problems()) return kExitFinding;
  if (matrix.any_error()) return kExitInternal;
  return kExitClean;
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
  return [opt] { return run_check(*opt); };
}

}  // namespace dfrace::cli
