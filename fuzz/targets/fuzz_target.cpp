// The libFuzzer entry point. One source, several binaries: dfrace_fuzz_<recipe> fixes the recipe at compile time
// (DFRACE_FUZZ_RECIPE); dfrace_fuzz_generic takes it from the environment (DFRACE_RECIPE), for mutants and user
// recipes. DFRACE_NO_INTERLEAVING_FEEDBACK=1 turns the interleaving counters off (to measure what they buy).
// DFRACE_CONSEQUENCES=1: races are not fatal; stop only on what they break (replay with dfrace-repro --consequences).
// DFRACE_COVERAGE_FILE=path: at exit, write which protocol directions the run exercised and how many executions.
//
// On a finding: the verdict line and the readable timeline go to stderr, then abort(), so libFuzzer saves crash-*.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "exec/registry.hpp"

// ASan's quarantine (256 MB by default) keeps every freed block out of reuse, so each execution's few allocations
// land on cold, freshly faulted pages (~2 page faults per execution). A use after free within one execution (a few
// KB of frees) is still caught with 16 MB; ASAN_OPTIONS overrides this as usual.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=16"; }

namespace {

dfrace::fuzz::ExecFn g_exec = nullptr;
std::string g_recipe;
bool g_feedback = true;
bool g_races_fatal = true;
dfrace::Coverage g_coverage;
unsigned long long g_execs = 0;

void write_coverage() {
  const char* path = std::getenv("DFRACE_COVERAGE_FILE");
  if (path == nullptr) return;
  if (FILE* f = std::fopen(path, "w")) {
    std::fprintf(f, "{\"recipe\":\"%s\",\"execs\":%llu,\"producer_to_drain\":%d,\"drain_to_producer\":%d,"
                    "\"cross_cpu_drain\":%d,\"repeated_drains\":%d}\n",
                 g_recipe.c_str(), g_execs, g_coverage.producer_to_drain, g_coverage.drain_to_producer,
                 g_coverage.cross_cpu_drain, g_coverage.repeated_drains);
    std::fclose(f);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
#ifdef DFRACE_FUZZ_RECIPE
  g_recipe = DFRACE_FUZZ_RECIPE;
#else
  const char* env = std::getenv("DFRACE_RECIPE");
  if (env == nullptr || *env == '\0') {
    std::fprintf(stderr, "dfrace_fuzz_generic: set DFRACE_RECIPE to a recipe name (see `dfrace recipes`)\n");
    std::exit(2);
  }
  g_recipe = env;
#endif
  g_exec = dfrace::fuzz::find_executor(g_recipe);
  if (g_exec == nullptr) {
    std::fprintf(stderr, "dfrace fuzz: unknown recipe '%s'\n", g_recipe.c_str());
    std::exit(2);
  }
  const char* off = std::getenv("DFRACE_NO_INTERLEAVING_FEEDBACK");
  g_feedback = off == nullptr || std::string(off) == "0" || *off == '\0';
  const char* cons = std::getenv("DFRACE_CONSEQUENCES");
  g_races_fatal = cons == nullptr || std::string(cons) == "0" || *cons == '\0';
  std::atexit(write_coverage);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ++g_execs;
  auto r = g_exec(data, size, {.trace = false, .feedback = g_feedback, .races_fatal = g_races_fatal});
  g_coverage.producer_to_drain |= r.coverage.producer_to_drain;
  g_coverage.drain_to_producer |= r.coverage.drain_to_producer;
  g_coverage.cross_cpu_drain |= r.coverage.cross_cpu_drain;
  g_coverage.repeated_drains |= r.coverage.repeated_drains;
  // In consequence mode a bare data race is not worth stopping for: go on hunting for what it breaks.
  if (r.outcome.finding() && (g_races_fatal || r.outcome.kind != dfrace::VerdictKind::kDataRace)) {
    // Replay with the trace on (the execution is deterministic) so the crash report can be read as is.
    auto traced = g_exec(data, size, {.trace = true, .feedback = false, .races_fatal = g_races_fatal});
    std::fprintf(stderr, "\n==dfrace== recipe %s, %s\n==dfrace== %s\n%s\n", g_recipe.c_str(),
                 traced.program.describe().c_str(), traced.outcome.line().c_str(),
                 traced.trace.timeline(40).c_str());
    std::fprintf(stderr, "==dfrace== VERDICT %s\n", traced.outcome.line().c_str());
    write_coverage();
    std::abort();
  }
  return 0;
}
