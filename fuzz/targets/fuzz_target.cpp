// The libFuzzer entry point. One source, several binaries: dfrace_fuzz_<recipe> fixes the recipe at compile time
// (DFRACE_FUZZ_RECIPE); dfrace_fuzz_generic takes it from the environment (DFRACE_RECIPE), for mutants and user
// recipes. DFRACE_NO_INTERLEAVING_FEEDBACK=1 turns the interleaving counters off (to measure what they buy).
// DFRACE_CONSEQUENCES=1: races are not fatal; stop only on what they break (replay with dfrace-repro --consequences).
// DFRACE_COVERAGE_FILE=path: at exit, write which protocol directions the run exercised and how many executions.
//
// DFRACE_FINDINGS_DIR=dir: keep going after a finding. Every execution runs in consequence mode; a finding whose
// signature (findings/signature.hpp) this run has not seen yet is saved as dir/<hash>.input (the raw schedule)
// with dir/<hash>.sig (the signature, the verdict line and the seconds since start), claimed with O_EXCL so that
// the processes of -fork=N share one deduplicated set; then fuzzing continues. dfrace-fuzz minimizes and shows them.
//
// Otherwise, on a finding: the verdict line and the readable timeline go to stderr, then abort(), so libFuzzer
// saves crash-* (raw libFuzzer use, ClusterFuzzLite).
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_set>

#include "exec/registry.hpp"
#include "findings/signature.hpp"
#include "render/timeline.hpp"

// ASan's quarantine (256 MB by default) keeps every freed block out of reuse, so each execution's few allocations
// land on cold, freshly faulted pages (~2 page faults per execution). A use after free within one execution (a few
// KB of frees) is still caught with 16 MB; ASAN_OPTIONS overrides this as usual.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=16"; }

namespace {

dfrace::fuzz::ExecFn g_exec = nullptr;
std::string g_recipe;
bool g_feedback = true;
bool g_races_fatal = true;
dfrace::DirectionSet g_directions = 0;
unsigned long long g_execs = 0;
std::string g_findings_dir;                  // empty: stop at the first finding
std::unordered_set<std::string> g_seen;      // signatures this process has already saved or seen claimed
const auto g_start = std::chrono::steady_clock::now();

std::string hex_hash(const std::string& s) {  // FNV-1a, 12 hex digits: a file name per signature
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>(h & 0xffffffffffffull));
  return buf;
}

bool write_all(const std::string& path, const void* data, std::size_t size, int flags) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | flags, 0644);
  if (fd < 0) return false;
  const bool ok = ::write(fd, data, size) == static_cast<ssize_t>(size);
  ::close(fd);
  return ok;
}

// A new bug: claim its signature (another fork job may have found it first), then save the schedule.
void save_if_new(const dfrace::fuzz::ExecResult& r, const std::uint8_t* data, std::size_t size) {
  const std::string sig = dfrace::fuzz::signature_of(r.outcome);
  if (!g_seen.insert(sig).second) return;
  const std::string base = g_findings_dir + "/" + hex_hash(sig);
  const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - g_start).count();
  const std::string text = sig + "\n" + r.outcome.line() + "\n" + std::to_string(t) + "\n";
  if (!write_all(base + ".input", data, size, O_EXCL)) return;  // claimed by another process
  write_all(base + ".sig", text.data(), text.size(), O_TRUNC);
  std::fprintf(stderr, "==dfrace== NEW %s\n", r.outcome.line().c_str());
}

void write_coverage() {
  const char* path = std::getenv("DFRACE_COVERAGE_FILE");
  if (path == nullptr) return;
  if (FILE* f = std::fopen(path, "w")) {
    std::string exercised;
    for (const auto& d : dfrace::Coverage::of(g_directions, *dfrace::fuzz::protocol_of(g_recipe)->directions).exercised) {
      exercised += (exercised.empty() ? "\"" : ",\"") + d + "\"";
    }
    std::fprintf(f, "{\"recipe\":\"%s\",\"execs\":%llu,\"exercised\":[%s]}\n", g_recipe.c_str(), g_execs,
                 exercised.c_str());
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
  if (const char* dir = std::getenv("DFRACE_FINDINGS_DIR"); dir != nullptr && *dir != '\0') {
    g_findings_dir = dir;
    g_races_fatal = false;  // collecting: a race is reported with what it leads to
  }
  std::atexit(write_coverage);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ++g_execs;
  auto r = g_exec(data, size, {.trace = false, .feedback = g_feedback, .races_fatal = g_races_fatal});
  g_directions |= r.directions;
  if (!g_findings_dir.empty()) {
    if (r.outcome.finding()) save_if_new(r, data, size);
    return 0;
  }
  // In consequence mode a bare data race is not worth stopping for: go on hunting for what it breaks.
  if (r.outcome.finding() && (g_races_fatal || r.outcome.kind != dfrace::VerdictKind::kDataRace)) {
    // Replay with the trace on (the execution is deterministic) so the crash report can be read as is.
    auto traced = g_exec(data, size, {.trace = true, .feedback = false, .races_fatal = g_races_fatal});
    std::fprintf(stderr, "\n==dfrace== recipe %s, %s\n==dfrace== %s\n%s\n", g_recipe.c_str(),
                 traced.program.describe().c_str(), traced.outcome.line().c_str(),
                 dfrace::render::timeline(traced.trace).c_str());
    std::fprintf(stderr, "==dfrace== VERDICT %s\n", traced.outcome.line().c_str());
    write_coverage();
    std::abort();
  }
  return 0;
}
