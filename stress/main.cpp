// dfrace-stress: `dfrace stress --recipe NAME [--seconds N] [--threads N] [--chaos] [--sanitizer tsan|asan] [--json]`
//
// The supervisor side: parses flags, starts the worker (this binary with --worker) in a child process, prints
// progress, and turns what the worker left behind (its counters, a sanitizer report on stderr, a signal) into one
// dfrace::Verdict. Exit codes: 0 clean, 1 finding, 2 bad usage, 3 internal failure.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "infra/crash_stack.hpp"
#include "infra/behaviours.hpp"
#include "infra/engine_result.hpp"
#include "infra/exit_codes.hpp"
#include "infra/recipe_lookup.hpp"
#include "infra/parse_command_line.hpp"
#include "core/pool_shape.hpp"
#include "protocols/registry.hpp"
#include "report_parser.hpp"
#include "stress_run.hpp"
#include "supervisor.hpp"
#include "worker.hpp"
#include "core/format.hpp"
#include "platform/weak/weak_memory.hpp"

namespace dfrace::stress {
namespace {

// The sanitizer this binary was built with ("tsan", "asan" or ""), from CMake's DFRACE_SANITIZER.
constexpr const char* kBuiltSanitizer = DFRACE_STRESS_SANITIZER;

std::string engine_name() { return *kBuiltSanitizer ? kBuiltSanitizer : "native"; }

std::string engine_title() {
  const std::string e = engine_name();
  if (e == "tsan") return "ThreadSanitizer";
  if (e == "asan") return "AddressSanitizer+UBSan";
  return "no sanitizer";
}

std::string counters_line(const StressTotals& t) {
  char head[64];
  std::snprintf(head, sizeof head, "%6.1f s", t.seconds);
  return std::string(head) + "  ops " + with_commas(t.ops) + " (" +
         with_commas(static_cast<std::uint64_t>(t.ops_per_second())) + "/s)  handles " + with_commas(t.handles) +
         "  overflows " + with_commas(t.overflows) + "  drains " + with_commas(t.drains) + "  flushes " +
         with_commas(t.flushes) + "  rounds " + with_commas(t.rounds) +
         (t.stale_loads ? "  stale loads " + with_commas(t.stale_loads) : "");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string signal_abbrev(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

std::string replay_command(const StressOptions& o) {
  std::ostringstream s;
  s << "./dfrace stress --recipe " << o.recipe << " --seconds " << o.seconds << " --threads " << o.threads
    << " --cpus " << o.cpus << " --size " << o.size << " --seed " << o.seed;
  if (o.ops) s << " --ops " << o.ops;
  if (o.chaos) s << " --chaos";
  if (o.weak) s << " --weak --stale-probability " << o.stale_probability;
  if (o.alloc_fail_rate > 0) s << " --alloc-fail-rate " << o.alloc_fail_rate;
  if (*kBuiltSanitizer) s << " --sanitizer " << kBuiltSanitizer;
  return s.str();
}

struct CliOptions {
  StressOptions run;
  std::string sanitizer;
  std::string report_dir = "dfrace-report";
  bool json = false;
  bool quiet = false;
  std::vector<std::string> modes;  // --modes: split the budget over these, in turn
  std::string worker_json;  // hidden: this process is the worker
};

// The verdict from what the worker left behind; nullopt (internal failure) when nothing explains how it ended.
std::optional<Verdict> judge(const StressOptions& opt, const WorkerOutcome& w, const StressTotals& t) {
  Verdict v;
  v.engine = engine_name();
  v.recipe = opt.recipe;
  v.coverage = t.coverage;
  const ProtocolInfo& protocol = *protocols::find_recipe(opt.recipe)->protocol;  // looked up before the run
  if (auto f = parse_sanitizer_report(protocol, w.stderr_text,
                                      read_file(std::string(DFRACE_SOURCE_DIR) + "/" + protocol.pool_source()))) {
    v.kind = f->kind;
    v.detail = f->detail;
  } else if (!t.invariant.empty()) {
    v.kind = VerdictKind::kInvariant;
    v.detail = t.invariant;
  } else if (w.hung) {
    v.kind = VerdictKind::kInvariant;
    v.detail = "progress (the worker printed nothing for 60 s: a deadlock or livelock)";
  } else if (w.signal != 0 && !w.interrupted) {
    v.kind = VerdictKind::kCrash;
    v.detail = signal_abbrev(w.signal);
  } else if (w.result || w.interrupted) {
    char how[256];
    const std::string weak = opt.weak ? ", weak memory (" + with_commas(t.stale_loads) + " stale loads)" : "";
    std::snprintf(how, sizeof how, "%.1f s%s, %s operations, %s pool rounds under %s%s%s", t.seconds,
                  t.interrupted || !w.result ? " (interrupted)" : "", with_commas(t.ops).c_str(),
                  with_commas(t.rounds).c_str(), engine_title().c_str(), opt.chaos ? ", chaos" : "", weak.c_str());
    v.kind = VerdictKind::kClean;
    v.detail = how;
  } else {
    return std::nullopt;
  }
  return v;
}

std::string save_report(const CliOptions& cli, const std::string& text) {
  std::error_code ec;
  std::filesystem::create_directories(cli.report_dir, ec);
  const std::string path = cli.report_dir + "/stress-" + cli.run.recipe + "-" + engine_name() +
 (cli.run.chaos ? "-chaos" : "") +
                           (cli.run.weak ? "-weak" : "") + "-seed" + std::to_string(cli.run.seed) + ".txt";
  std::ofstream out(path);
  out << text;
  return out ? path : std::string();
}

struct RecipeRun {
  int exit_code = kExitClean;
  nlohmann::json json;  // the verdict with the stress counters, when the run got a verdict
};

RecipeRun supervise(const CliOptions& cli) {
  const StressOptions& opt = cli.run;
  const auto meta = protocols::find_recipe(opt.recipe);
  if (!cli.quiet) {
    std::fprintf(stderr, "dfrace stress: %s under %s%s%s, %u producers on %u CPUs, SIZE %zu, budget %.0f s%s\n",
                 opt.recipe.c_str(), engine_title().c_str(), opt.chaos ? " with chaos" : "",
                 opt.weak ? " with weak-memory emulation" : "", opt.threads, opt.cpus,
                 opt.size, opt.seconds, opt.ops ? (" / " + with_commas(opt.ops) + " ops").c_str() : "");
  }
  auto progress = [&](const StressTotals& t) {
    if (!cli.quiet) std::fprintf(stderr, "[stress %s] %s\n", opt.recipe.c_str(), counters_line(t).c_str());
  };
  const WorkerOutcome w = run_worker_process(opt, progress);
  if (!w.failure.empty()) {
    std::fprintf(stderr, "dfrace stress: internal error: %s\n", w.failure.c_str());
    return {kExitInternal, {}};
  }
  const StressTotals t = w.result ? *w.result : w.last_progress;
  std::optional<Verdict> v = judge(opt, w, t);
  if (!v) {
    std::fprintf(stderr, "dfrace stress: internal error: the worker exited (code %d) without a result\n%s\n",
                 w.exit_code, w.stderr_text.substr(0, 4000).c_str());
    return {kExitInternal, {}};
  }
  if (!v->clean()) {
    if (std::string path = save_report(cli, w.stderr_text.empty() ? v->line() + "\n" : w.stderr_text); !path.empty()) {
      v->artifacts.push_back(path);
    }
    v->replay = replay_command(opt);
  }
  // What this run could produce (infra/behaviours.hpp): the flusher thread always runs; failed refills only at a
  // positive rate; an older store only with the weak-memory emulation (x86 threads never read one).
  v->covered = behaviours(false, opt.alloc_fail_rate > 0, opt.weak, true);
  nlohmann::json j = v->to_json();
  j["claimed_correct"] = meta && meta->claimed_correct;
  j["is_mutant"] = meta && meta->is_mutant;
  j["operations"] = t.ops;
  j["ops_per_second"] = std::round(t.ops_per_second());
  j["handles"] = t.handles;
  j["overflows"] = t.overflows;
  j["drains"] = t.drains;
  j["seconds"] = t.seconds;
  j["wall_seconds"] = w.wall_seconds;  // worker start to end: for a finding, the time to the report
  if (!v->clean() && w.first_stderr_seconds >= 0) j["first_report_seconds"] = w.first_stderr_seconds;
  j["interrupted"] = w.interrupted;
  j["chaos"] = opt.chaos;
  j["weak"] = opt.weak;
  j["stale_loads"] = t.stale_loads;
  j["stress"] = to_json(t);
  j["options"] = to_json(opt);
  if (!v->clean() && !cli.quiet) {
    // A readable excerpt of the report: where the two accesses are, in the pool's own frames.
    std::istringstream in(report_excerpt(w.stderr_text));
    for (std::string line; std::getline(in, line);) std::fprintf(stderr, "  | %s\n", line.c_str());
  }
  FILE* summary = cli.json ? stderr : stdout;
  std::fprintf(summary, "summary: %s\n", counters_line(t).c_str());
  std::fprintf(summary, "verdict: %s\n", v->line().c_str());
  if (v->clean() && v->coverage) {
    std::string dirs;
    for (auto& d : v->coverage->describe()) dirs += (dirs.empty() ? "" : ", ") + d;
    std::fprintf(summary, "exercised: %s\n", dirs.empty() ? "(nothing)" : dirs.c_str());
  }
  for (auto& a : v->artifacts) std::fprintf(summary, "report: %s\n", a.c_str());
  if (!v->replay.empty()) std::fprintf(summary, "replay: %s\n", v->replay.c_str());
  if (!v->clean()) {
    std::fprintf(summary, "time to verdict: %.2f s (worker start to end; the report began after %.2f s)\n",
                 w.wall_seconds, w.first_stderr_seconds);
  }
  return {v->clean() ? kExitClean : kExitFinding, j};
}

// --modes: the budget split over perturbations that find different bugs, run one after another.
struct Mode {
  std::string name;   // as given to --modes
  std::string title;  // as a clean verdict lists it
  void (*apply)(StressOptions&);
};

const std::vector<Mode>& known_modes() {
  static const std::vector<Mode> modes = {
      {"plain", "no perturbation", [](StressOptions&) {}},
      {"chaos", "chaos", [](StressOptions& o) { o.chaos = true; }},
      // The drain's in-place fallback (a failed kvmalloc_array) is reached only when refills fail.
      {"alloc-fail", "failed refills", [](StressOptions& o) { o.alloc_fail_rate = o.alloc_fail_rate > 0 ? o.alloc_fail_rate : 0.05; }},
      // What x86 never shows: loads returning older values the memory model allows.
      {"weak", "weak memory", [](StressOptions& o) { o.weak = true; }},
  };
  return modes;
}

const Mode* find_mode(const std::string& name) {
  for (const auto& m : known_modes())
    if (m.name == name) return &m;
  return nullptr;
}

// Runs cli.run.recipe once per mode, each with an equal share of --seconds, stopping at the first finding (whose
// verdict is returned, naming its mode). All clean: one clean verdict that says which modes ran for how long.
RecipeRun supervise_modes(const CliOptions& cli, const std::vector<std::string>& modes) {
  const double share = cli.run.seconds / static_cast<double>(modes.size());
  std::optional<Verdict> combined;
  Coverage coverage;
  std::vector<std::string> covered;  // the union over the modes run
  std::uint64_t ops = 0, stale = 0;
  double seconds = 0;
  std::string ran;
  nlohmann::json per_mode = nlohmann::json::array();
  bool interrupted = false;
  for (const auto& name : modes) {
    const Mode& mode = *find_mode(name);
    CliOptions one = cli;
    mode.apply(one.run);
    one.run.seconds = share;
    if (!cli.quiet) std::fprintf(stderr, "dfrace stress: mode %s (%.0f s of %.0f s)\n", name.c_str(), share, cli.run.seconds);
    RecipeRun r = supervise(one);
    if (r.exit_code == kExitInternal) return r;
    per_mode.push_back({{"mode", name},
                        {"verdict", r.json.value("verdict", "")},
                        {"seconds", r.json.value("seconds", 0.0)},
                        {"operations", r.json.value("operations", std::uint64_t{0})},
                        {"stale_loads", r.json.value("stale_loads", std::uint64_t{0})}});
    if (r.exit_code == kExitFinding) {
      std::fprintf(cli.json ? stderr : stdout, "found in mode: %s (%s)\n", name.c_str(), mode.title.c_str());
      r.json["mode"] = name;
      r.json["modes"] = per_mode;
      return r;
    }
    const auto v = Verdict::from_json(r.json);
    if (!v) return {kExitInternal, {}};
    if (!combined) combined = v;
    if (v->coverage) coverage.merge(*v->coverage);
    if (v->covered) covered = behaviours_union(covered, *v->covered);
    const double s = r.json.value("seconds", 0.0);
    ops += r.json.value("operations", std::uint64_t{0});
    stale += r.json.value("stale_loads", std::uint64_t{0});
    seconds += s;
    char part[160];
    std::snprintf(part, sizeof part, "%s %.0f s", mode.title.c_str(), s);
    ran += (ran.empty() ? "" : ", ") + std::string(part);
    if (name == "weak") ran += " (" + with_commas(stale) + " stale loads)";
    interrupted = r.json.value("interrupted", false);
    if (interrupted) break;
  }
  char how[512];
  std::snprintf(how, sizeof how, "%.1f s%s in %zu modes: %s; %s operations under %s", seconds,
                interrupted ? " (interrupted)" : "", per_mode.size(), ran.c_str(), with_commas(ops).c_str(),
                engine_title().c_str());
  combined->detail = how;
  combined->coverage = coverage;
  combined->covered = covered;
  nlohmann::json j = combined->to_json();
  const auto meta = protocols::find_recipe(cli.run.recipe);
  j["claimed_correct"] = meta && meta->claimed_correct;
  j["is_mutant"] = meta && meta->is_mutant;
  j["operations"] = ops;
  j["stale_loads"] = stale;
  j["seconds"] = seconds;
  j["interrupted"] = interrupted;
  j["modes"] = per_mode;
  FILE* summary = cli.json ? stderr : stdout;
  std::fprintf(summary, "verdict: %s\n", combined->line().c_str());
  return {kExitClean, j};
}

// Each recipe in turn, each with the whole budget; one engine result (infra/engine_result.hpp) with a verdict each.
int supervise_all(CliOptions cli, const std::vector<std::string>& recipes) {
  int exit_code = kExitClean;
  nlohmann::json all = nlohmann::json::array();
  for (const auto& recipe : recipes) {
    cli.run.recipe = recipe;
    RecipeRun r = cli.modes.empty() ? supervise(cli) : supervise_modes(cli, cli.modes);
    if (r.exit_code == kExitInternal) return kExitInternal;
    if (r.exit_code == kExitFinding) exit_code = kExitFinding;
    const bool interrupted = r.json.value("interrupted", false);
    all.push_back(std::move(r.json));
    if (interrupted) break;  // Ctrl-C ends the whole command, not just this recipe
  }
  if (cli.json) {
    // check runs one recipe per process; several recipes of different protocols name the first's.
    const auto first = protocols::find_recipe(recipes.front());
    std::cout << make_engine_result(engine_name(), first ? first->protocol->name : "", std::move(all)).dump(2)
              << "\n";
  }
  return exit_code;
}

// Bad usage that CLI11 cannot see; empty when fine.
std::string usage_problem(const CliOptions& cli) {
  const StressOptions& o = cli.run;
  if (auto meta = lookup_recipe(o.recipe); !meta.ok()) return std::string(meta.status().message());
  if (!cli.sanitizer.empty() && cli.sanitizer != engine_name()) {
    return "this dfrace-stress is built with " + engine_title() + ", not '" + cli.sanitizer + "' (use the " +
           cli.sanitizer + " preset: build/" + cli.sanitizer + "/stress/dfrace-stress)";
  }
  if (std::string why = validate({.nr_cpus = o.cpus, .size = o.size}); !why.empty()) return why;
  if (o.threads == 0 || o.threads > 256) return "--threads must be between 1 and 256";
  if (!(o.seconds > 0)) return "--seconds must be positive";
  if (!(o.alloc_fail_rate >= 0 && o.alloc_fail_rate <= 1)) return "--alloc-fail-rate must be in [0, 1]";
  if (!(o.stale_probability >= 0 && o.stale_probability <= 1)) return "--stale-probability must be in [0, 1]";
  // The emulation's clocks hold 8 threads per pool round: the producers, the flusher, the drain worker, main.
  for (const auto& m : cli.modes) {
    if (!find_mode(m)) return "unknown mode '" + m + "' in --modes (plain, chaos, alloc-fail, weak)";
  }
  const bool weak = o.weak || std::find(cli.modes.begin(), cli.modes.end(), "weak") != cli.modes.end();
  if (weak && o.threads + 3 > dfrace::weak::kMaxThreads) {
    return "--weak supports at most " + std::to_string(dfrace::weak::kMaxThreads - 3) + " producer threads";
  }
  if (!(o.round_ms > 0) || !(o.progress_seconds > 0) || !(o.flush_every_ms >= 0)) {
    return "--round-ms and --progress must be positive, --flush-every-ms not negative";
  }
  return {};
}

}  // namespace
}  // namespace dfrace::stress

int main(int argc, char** argv) {
  using namespace dfrace::stress;
  CliOptions cli;
  StressOptions& o = cli.run;
  CLI::App app{"dfrace stress: the native pool on real threads under a sanitizer", "dfrace stress"};
  std::vector<std::string> recipes;
  app.add_option("--recipe", recipes,
                 "recipe name (a built-in or a mutant; see `dfrace recipes --mutants`); repeat to run several in turn, "
                 "each with the whole budget");
  // An unsigned option would silently wrap "-1" around; reject anything but digits first.
  const CLI::Validator kWholeNumber(
      [](std::string& v) -> std::string {
        if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) return "must be a whole number (got '" + v + "')";
        return {};
      },
      "NUMBER");
  app.add_option("--seconds", o.seconds, "time budget in seconds")->capture_default_str();
  app.add_option("--ops", o.ops, "operation budget (enqueues); 0 = time only")->capture_default_str();
  app.add_option("--threads", o.threads, "producer threads")->check(kWholeNumber)->capture_default_str();
  app.add_option("--cpus", o.cpus, "CPUs of the pool")->check(kWholeNumber)->capture_default_str();
  app.add_option("--size", o.size, "SIZE, handles per buffer (small: the drain runs constantly)")->check(kWholeNumber)->capture_default_str();
  app.add_option("--seed", o.seed, "seed of the migration, chaos and fault schedules")->capture_default_str();
  app.add_flag("--chaos", o.chaos, "perturb timing at every shared access (yields, spins, PCT-style priorities)");
  app.add_flag("--weak", o.weak,
               "emulate weak memory: a load may return an older value the memory model allows (x86 never does)");
  app.add_option("--stale-probability", o.stale_probability,
                 "with --weak: chance that a load with older legal values returns one of them")
      ->capture_default_str();
  app.add_option("--modes", cli.modes,
                 "split --seconds over these modes in turn, stopping at a finding: plain, chaos, alloc-fail, weak "
                 "(comma-separated; the flags given apply to every mode)")
      ->delimiter(',');
  app.add_option("--alloc-fail-rate", o.alloc_fail_rate, "probability that the drain's buffer allocation fails")
      ->capture_default_str();
  app.add_option("--round-ms", o.round_ms, "length of one pool lifetime (construct, run, teardown, audit)")
      ->capture_default_str();
  app.add_option("--flush-every-ms", o.flush_every_ms, "mean pause between two flush() calls")->capture_default_str();
  app.add_option("--progress", o.progress_seconds, "seconds between progress lines")->capture_default_str();
  app.add_option("--sanitizer", cli.sanitizer, "the sanitizer expected in this build: tsan, asan")
      ->check(CLI::IsMember({"tsan", "asan"}));
  app.add_option("--report-dir", cli.report_dir, "where sanitizer reports are saved")->capture_default_str();
  app.add_flag("--json", cli.json, "print the verdict as JSON on stdout (progress stays on stderr)");
  app.add_flag("--quiet", cli.quiet, "no progress lines");
  app.add_option("--worker", cli.worker_json, "internal: run as the worker with these options")->group("");
  if (auto exit_code = dfrace::parse_command_line(app, argc, argv, "dfrace stress")) return *exit_code;
  if (!cli.worker_json.empty()) {
    // A worker that crashes prints its stack on stderr, which the supervisor saves with the verdict. Under a
    // sanitizer the sanitizer's own handler does that (and better: it names the bad access).
    if (!*kBuiltSanitizer) dfrace::install_crash_stack_printer();
    try {
      return run_worker(options_from_json(nlohmann::json::parse(cli.worker_json)));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "dfrace-stress worker: bad options: %s\n", e.what());
      return dfrace::kExitInternal;
    }
  }
  if (recipes.empty()) {
    std::fprintf(stderr, "dfrace stress: --recipe is required (see `dfrace recipes --mutants` for the names)\n");
    return dfrace::kExitUsage;
  }
  for (const auto& recipe : recipes) {
    o.recipe = recipe;
    if (std::string why = usage_problem(cli); !why.empty()) {
      std::fprintf(stderr, "dfrace stress: %s\n", why.c_str());
      return dfrace::kExitUsage;
    }
  }
  try {
    return supervise_all(cli, recipes);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dfrace stress: internal error: %s\n", e.what());
    return dfrace::kExitInternal;
  }
}
