// How `dfrace check` runs each engine: which binary (in which preset's build tree), with which flags, and how its
// --json output (the engine result format, infra/engine_result.hpp) becomes matrix cells. The engines themselves
// know nothing about check.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "check/matrix.hpp"

namespace dfrace::check {

struct EngineJob {
  std::string engine;                // column name: relacy, fuzz, tsan
  std::vector<std::string> recipes;  // one job may cover several recipes (Relacy runs them all in one process)
  std::string protocol;               // the protocol the engine must report
  std::vector<std::string> argv;
  std::chrono::seconds deadline{0};
};

struct EngineSpec {
  std::string name;
  std::filesystem::path binary;  // relative to the build root
  bool one_process_for_all_recipes;
  bool time_budgeted;  // takes --seconds
};

// The engines in matrix column order.
std::vector<EngineSpec> engine_specs();
// The configurations the prove engine proves each recipe at, in order.
std::vector<std::string> prove_configs(const std::string& recipe);

// Builds the argument vector for one engine run.
EngineJob make_job(const EngineSpec& spec, const std::filesystem::path& build_root, const std::vector<std::string>& recipes,
                   int seconds, const std::filesystem::path& out_dir);

// What an engine run yields for one of its recipes: a verdict, or why there is none (one line).
struct JobOutcome {
  int exit_code = -1;
  int signal = 0;
  bool timed_out = false;
  std::string start_error;
  std::string out;         // its stdout (the engine result)
  std::string last_line;   // its last stderr line, for the error text
};
void fill_cells(const EngineJob& job, const JobOutcome& outcome, double seconds, Matrix& matrix);

// Runs jobs `parallel` at a time, filling the matrix cells; `progress` gets one line per event. When this process
// is interrupted (SIGINT/SIGTERM) the running engines' process groups are ended and no further job starts.
// `on_done`, when set, also gets every finished run as fill_cells() saw it (check --results saves it).
void run_jobs(std::vector<EngineJob> jobs, int parallel, Matrix& matrix,
              const std::function<void(const std::string&)>& progress,
              const std::function<void(const EngineJob&, const JobOutcome&, double)>& on_done = {});

}  // namespace dfrace::check
