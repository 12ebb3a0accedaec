// How `dfrace check` runs each engine: which binary (in which preset's build tree), with which flags, and how a
// verdict is read back from its --json output. The engines themselves know nothing about check.
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

// Builds the argument vector for one engine run.
EngineJob make_job(const EngineSpec& spec, const std::filesystem::path& build_root, const std::vector<std::string>& recipes,
                   int seconds, const std::filesystem::path& out_dir);

// Every verdict object (Verdict::to_json shape) anywhere in an engine's --json output.
std::vector<Verdict> verdicts_in_output(const std::string& out);

// Runs jobs `parallel` at a time, filling the matrix cells; `progress` gets one line per event.
void run_jobs(std::vector<EngineJob> jobs, int parallel, Matrix& matrix,
              const std::function<void(const std::string&)>& progress);

}  // namespace dfrace::check
