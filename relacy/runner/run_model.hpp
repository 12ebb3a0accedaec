// Runs one recipe in one model configuration under Relacy and turns Relacy's result into a dfrace Verdict.
//
// Contract
// - `run_model<Plugin, kRecipe>(meta, config, search, history_path)` (with use_protocol(*meta.protocol) done) runs a search (exhaustive, random or context-bound;
//   the config's default when `search.kind` is empty), writes Relacy's whole output (for a finding: the result,
//   the iteration and the full execution history) to `history_path`, and returns the verdict plus how far the
//   search looked (iterations, wall time, exhaustive or not).
// - Relacy's output goes straight to a FILE*: nothing of it is allocated while Relacy's heap is in charge.
#pragma once

#include "platform/relacy_include.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>

#include "core/verdict.hpp"
#include "models/model_config.hpp"
#include "models/pool_model.hpp"
#include "protocols/registry.hpp"

namespace dfrace::relacy {

std::string search_name(SearchKind k);                     // "exhaustive", "random", "context-bound"
std::optional<SearchKind> parse_search(std::string_view s);

struct SearchSpec {
  std::optional<SearchKind> kind;  // empty: exhaustive where the config finishes, random otherwise
  std::uint64_t iterations = 0;    // random/context-bound budget; 0: the config's default
  unsigned context_bound = 0;      // 0: the config's bound
};

struct RunResult {
  std::string config;
  SearchKind search = SearchKind::kExhaustive;
  std::uint64_t iterations = 0;  // executions explored (up to and including the failing one)
  double seconds = 0;
  Verdict verdict;
  std::string location;          // the failing access in the pool source, e.g. "drain.count_check (pool.hpp:97)"
  std::string history_path;
};

// A streambuf onto a FILE* (or nowhere), so Relacy's output never touches operator new.
class FileStreambuf : public std::streambuf {
 public:
  explicit FileStreambuf(std::FILE* f) : f_(f) {}

 protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof() && f_ != nullptr) std::fputc(c, f_);
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (f_ != nullptr) std::fwrite(s, 1, static_cast<std::size_t>(n), f_);
    return n;
  }

 private:
  std::FILE* f_;
};

// Fills the verdict of a finished search from Relacy's result and the platform's trace.
RunResult interpret(const RecipeMeta& meta, const ModelConfig& config, SearchKind kind,
                    const rl::test_params& params, double seconds, const std::string& history_path);

template <class Plugin, Recipe<typename Plugin::Protocol> kRecipe, rl::thread_id_t kThreads>
void simulate_model(rl::test_params& params) {
  rl::simulate<PoolModel<Plugin, kRecipe, kThreads>>(params);
}

template <class Plugin, Recipe<typename Plugin::Protocol> kRecipe>
RunResult run_model(const RecipeMeta& meta, const ModelConfig& config, const SearchSpec& search,
                    const std::string& history_path) {
  const SearchKind kind = search.kind.value_or(config.search);
  std::FILE* f = std::fopen(history_path.c_str(), "w");
  FileStreambuf out_buf(f);
  FileStreambuf null_buf(nullptr);
  std::ostream out(&out_buf);
  std::ostream progress(&null_buf);

  rl::test_params params;
  params.output_stream = &out;
  params.progress_stream = &progress;
  params.search_type = kind == SearchKind::kExhaustive ? rl::sched_full
                       : kind == SearchKind::kRandom    ? rl::sched_random
                                                        : rl::sched_bound;
  // The context-bound scheduler also stops at iteration_count: give it room to finish its bounded space.
  params.iteration_count = search.iterations != 0          ? search.iterations
                           : kind == SearchKind::kRandom ? std::max<std::uint64_t>(config.random_iterations, 1000)
                                                         : std::uint64_t{1} << 40;
  params.context_bound = search.context_bound != 0 ? search.context_bound : std::max(config.context_bound, 1u);
  params.execution_depth_limit = 20000;

  current_model_config() = &config;
  trace().observed = 0;
  const auto start = std::chrono::steady_clock::now();
  switch (config.threads()) {
    case 2: simulate_model<Plugin, kRecipe, 2>(params); break;
    case 3: simulate_model<Plugin, kRecipe, 3>(params); break;
    default: simulate_model<Plugin, kRecipe, 4>(params); break;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.flush();
  if (f != nullptr) std::fclose(f);
  return interpret(meta, config, kind, params, seconds, f != nullptr ? history_path : std::string());
}

}  // namespace dfrace::relacy
