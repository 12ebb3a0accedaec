// dfrace-fuzz --recipe NAME [--seconds N] [--jobs N] [--seed N] [--no-interleaving-feedback] [--out DIR]
//             [--minimize-seconds N] [--full] [--json]
//
// Runs the recipe's libFuzzer binary (dfrace_fuzz_<recipe>, or dfrace_fuzz_generic with DFRACE_RECIPE) with the
// seed corpus and dictionary of fuzz/ for the whole time, collecting every distinct bug (the target saves one
// schedule per signature, findings/signature.hpp), then minimizes each, writes it as its own finding file in --out
// with its execution graph, lists them worst first and shows the first one's timeline.
// Exit 0 clean, 1 finding, 2 usage, 3 internal failure.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "infra/exit_codes.hpp"
#include "infra/parse_command_line.hpp"
#include "core/verdict.hpp"
#include "infra/behaviours.hpp"
#include "infra/engine_result.hpp"
#include "infra/recipe_lookup.hpp"
#include "infra/status_exit.hpp"
#include "exec/registry.hpp"
#include "tools/bug_list.hpp"
#include "tools/replay.hpp"

// quarantine_size_mb: see targets/fuzz_target.cpp (the --bench loop is the fuzzing loop).
extern "C" const char* __asan_default_options() { return "detect_leaks=0:quarantine_size_mb=16"; }

namespace fs = std::filesystem;
using namespace dfrace;

namespace {

std::string self_dir() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : p.parent_path().string();
}

std::string quote(const std::string& s) {
  std::string o = "'";
  for (char c : s) o += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return o + "'";
}

std::string after(const std::string& line, const std::string& key) {
  auto p = line.find(key);
  if (p == std::string::npos) return {};
  std::string rest = line.substr(p + key.size());
  while (!rest.empty() && rest.front() == ' ') rest.erase(rest.begin());
  return rest;
}

// What check and the report show for a bug: a race that led to something is a data race, with its consequence.
Verdict verdict_of(const fuzz::Bug& b, const std::string& recipe) {
  Verdict v;
  v.engine = "fuzz";
  v.recipe = recipe;
  v.kind = b.outcome.race.empty() ? b.outcome.kind : VerdictKind::kDataRace;
  const std::string line = b.outcome.line();
  v.detail = line.substr(line.find(": ") + 2);
  v.artifacts = {b.finding, b.finding + ".svg"};
  v.replay = "./dfrace repro " + b.finding;
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dfrace fuzz: search the schedules of a recipe with libFuzzer", "dfrace fuzz"};
  std::string recipe, out = "dfrace-report/fuzz", fuzzer_dir = self_dir(), source_dir;
  int seconds = 60, jobs = 1;
  long seed = -1;
  bool no_feedback = false, json = false, full = false;
  int minimize_seconds = 20;
  app.add_option("--recipe", recipe, "recipe name (see `dfrace recipes`; mutants too)")->required();
  app.add_option("--seconds", seconds, "how long to fuzz")->check(CLI::Range(1, 86400 * 7));
  app.add_option("--jobs", jobs, "parallel fuzzing processes (libFuzzer -fork)")->check(CLI::Range(1, 64));
  app.add_option("--seed", seed, "libFuzzer random seed")->check(CLI::Range(0L, 4294967295L));
  app.add_flag("--no-interleaving-feedback", no_feedback, "code coverage only (to measure what the feedback buys)");
  app.add_option("--minimize-seconds", minimize_seconds, "time to minimize the bugs found, shared between them")
      ->check(CLI::Range(0, 3600));
  app.add_flag("--full", full, "the first bug's timeline with every step (default: the steps that matter)");
  app.add_option("--out", out, "where finding files, the corpus and logs go");
  app.add_option("--fuzzer-dir", fuzzer_dir, "where the dfrace_fuzz_* binaries are (default: next to this one)");
  app.add_option("--source-dir", source_dir, "the protocol's fuzz/ directory (its seeds and dictionary)");
  app.add_flag("--json", json, "print the verdict as JSON on stdout");
  if (auto exit_code = dfrace::parse_command_line(app, argc, argv, "dfrace fuzz")) return *exit_code;
  if (fuzz::find_executor(recipe) == nullptr) return report_failure("dfrace fuzz", unknown_recipe(recipe));
  const std::string protocol(fuzz::protocol_name_of(recipe));
  if (source_dir.empty()) source_dir = std::string(DFRACE_PROTOCOLS_DIR) + "/" + protocol + "/fuzz";
  std::ostream& log = json ? std::cerr : std::cout;
  try {
    fs::path dedicated = fs::path(fuzzer_dir) / ("dfrace_fuzz_" + recipe);
    fs::path generic = fs::path(fuzzer_dir) / "dfrace_fuzz_generic";
    const bool use_dedicated = fs::exists(dedicated);
    if (!use_dedicated && !fs::exists(generic)) {
      std::fprintf(stderr, "dfrace fuzz: no fuzzer binary in %s (build the fuzz preset)\n", fuzzer_dir.c_str());
      return kExitInternal;
    }
    const fs::path corpus = fs::path(out) / "corpus" / recipe;
    const fs::path artifacts = fs::path(out) / "crashes";
    const fs::path saved = fs::path(out) / "findings" / recipe;
    fs::create_directories(corpus);
    fs::create_directories(artifacts);
    fs::remove_all(saved);
    fs::create_directories(saved);
    const std::string coverage_file = (fs::path(out) / ("coverage-" + recipe + ".json")).string();
    fs::remove(coverage_file);

    std::string cmd;
    if (!use_dedicated) cmd += "DFRACE_RECIPE=" + quote(recipe) + " ";
    if (no_feedback) cmd += "DFRACE_NO_INTERLEAVING_FEEDBACK=1 ";
    cmd += "DFRACE_FINDINGS_DIR=" + quote(saved.string()) + " ";
    // No leak check at exit either (the -fork jobs exit normally): see -detect_leaks=0 below.
    cmd += "ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0\" ";
    cmd += "DFRACE_COVERAGE_FILE=" + quote(coverage_file) + " ";
    cmd += quote((use_dedicated ? dedicated : generic).string());
    cmd += " -max_total_time=" + std::to_string(seconds) + " -print_final_stats=1 -max_len=256 -timeout=10";
    // An execution that ends in a finding abandons its fibers (rt::Runtime::fail), and what their frames own is
    // never freed: a few hundred bytes per finding, not a leak of the pool. Collecting keeps going past them.
    cmd += " -detect_leaks=0";
    cmd += " -artifact_prefix=" + quote((artifacts / (recipe + "-")).string());
    if (seed >= 0) cmd += " -seed=" + std::to_string(seed);
    if (jobs > 1) cmd += " -fork=" + std::to_string(jobs) + " -ignore_crashes=1";
    const fs::path dict = fs::path(source_dir) / "dfrace.dict";
    if (fs::exists(dict)) cmd += " -dict=" + quote(dict.string());
    cmd += " " + quote(corpus.string());
    const fs::path seeds = fs::path(source_dir) / "seeds";
    if (fs::exists(seeds)) cmd += " " + quote(seeds.string());
    cmd += " 2>&1";
    log << "dfrace fuzz: " << recipe << " for " << seconds << " s"
        << (no_feedback ? " (code coverage only)" : " (with interleaving feedback)")
        << ", collecting every distinct bug\n";

    const auto t0 = std::chrono::steady_clock::now();
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) {
      std::fprintf(stderr, "dfrace fuzz: cannot start %s\n", cmd.c_str());
      return kExitInternal;
    }
    std::ofstream fuzz_log(fs::path(out) / ("libfuzzer-" + recipe + ".log"));
    std::string crash;
    long long execs = 0;
    long long exec_per_sec = 0;
    char buf[8192];
    while (std::fgets(buf, sizeof buf, p) != nullptr) {
      std::string line(buf);
      fuzz_log << line;
      const double now = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (auto v = after(line, "Test unit written to "); !v.empty()) crash = v.substr(0, v.find_first_of("\r\n"));
      if (auto v = after(line, "==dfrace== NEW "); !v.empty()) {
        char when[32];
        std::snprintf(when, sizeof when, "%.2f", now);
        log << "  new bug after " << when << " s: " << v.substr(0, v.find('\n')) << "\n";
      }
      if (auto v = after(line, "stat::number_of_executed_units:"); !v.empty()) execs = std::atoll(v.c_str());
      if (jobs > 1 && line.size() > 1 && line[0] == '#' && std::isdigit(static_cast<unsigned char>(line[1]))) {
        execs = std::atoll(line.c_str() + 1);  // -fork=N: "#27717: cov: ... exec/s 3120 ..."
      }
      if (auto v = after(line, "stat::average_exec_per_sec:"); !v.empty()) exec_per_sec = std::atoll(v.c_str());
      if (line.find("pulse") != std::string::npos || line.find("INITED") != std::string::npos ||
          line.find("DONE") != std::string::npos) {
        log << "  " << line;
      }
    }
    const int status = pclose(p);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const bool libfuzzer_ok = WIFEXITED(status) && (WEXITSTATUS(status) == 0 || (jobs > 1 && crash.empty()));
    if (!libfuzzer_ok && crash.empty()) {
      std::fprintf(stderr, "dfrace fuzz: libFuzzer failed without a crash input (status %d); see %s\n", status,
                   (fs::path(out) / ("libfuzzer-" + recipe + ".log")).c_str());
      return kExitInternal;
    }

    log << "minimizing (up to " << minimize_seconds << " s)...\n";
    const std::vector<fuzz::Bug> bugs =
        fuzz::collect_bugs(recipe, saved.string(), out, std::chrono::seconds(minimize_seconds));
    nlohmann::json extra = {{"seconds", elapsed}, {"execs", execs}, {"exec_per_sec", exec_per_sec},
                            {"interleaving_feedback", !no_feedback}};
    nlohmann::json bug_list = nlohmann::json::array();
    nlohmann::json reported_bugs = nlohmann::json::array();  // the result schema's `bugs` (docs/result-schema.md)
    Verdict v;
    v.engine = "fuzz";
    v.recipe = recipe;
    if (!bugs.empty()) {
      std::string first_text;
      log << "\n" << recipe << ": " << bugs.size() << (bugs.size() == 1 ? " distinct bug" : " distinct bugs")
          << " in " << seconds << " s (" << execs << " executions), worst first:\n";
      for (std::size_t i = 0; i < bugs.size(); ++i) {
        const fuzz::Bug& b = bugs[i];
        std::ostringstream text;
        std::string why;
        auto loaded = fuzz::load_schedule(b.finding, "", why);
        if (loaded) fuzz::replay(*loaded, text, {.picture = b.finding + ".svg", .full = full});
        char when[32];
        std::snprintf(when, sizeof when, "%.2f", b.found_after);
        log << "\n" << std::setw(3) << i + 1 << ". " << b.outcome.line() << "\n"
            << "     found after " << when << " s; shortest form: " << b.cost.describe() << " (found as "
            << b.found_cost.describe() << ")\n"
            << "     ./dfrace repro " << b.finding << "\n";
        if (i == 0) first_text = text.str();
        bug_list.push_back({{"line", b.outcome.line()}, {"signature", b.signature}, {"finding", b.finding},
                            {"picture", b.finding + ".svg"}, {"found_after_sec", b.found_after},
                            {"cpus", b.cost.cpus}, {"pushes", b.cost.pushes}, {"steps", b.cost.steps},
                            {"found_steps", b.found_cost.steps}, {"lead_race", b.outcome.race}});
        reported_bugs.push_back({{"signature", b.signature}, {"line", b.outcome.line()}, {"race", b.outcome.race},
                                 {"uses", b.uses}, {"program", b.program.to_json()}, {"finding", b.finding}});
      }
      log << "\nthe first one, step by step (`./dfrace repro FILE --full` for every step):\n\n" << first_text;
      v = verdict_of(bugs.front(), recipe);
      for (std::size_t i = 1; i < bugs.size(); ++i) v.artifacts.push_back(bugs[i].finding);
      extra["time_to_first_finding_sec"] = bugs.front().found_after;
    } else if (!crash.empty()) {
      v.kind = VerdictKind::kCrash;
      v.detail = "sanitizer report in the executor (see " + crash + ")";
      v.artifacts = {crash};
    } else {
      Coverage c;
      if (std::ifstream cf(coverage_file); cf) {
        auto j = nlohmann::json::parse(cf, nullptr, false);
        if (j.is_object() && j.contains("exercised") && j["exercised"].is_array()) {
          for (const auto& d : j["exercised"]) {
            if (d.is_string()) c.exercised.push_back(d.get<std::string>());
          }
        }
      }
      v.kind = VerdictKind::kClean;
      v.detail = "libFuzzer: " + std::to_string(execs) + " executions in " + std::to_string(seconds) + " s";
      v.coverage = c;
    }
    extra["bugs"] = bug_list;
    // Every schedule may hold an interrupt, failed refills, a flush and stale loads: a run covers all four.
    v.covered = behaviours(true, true, true, true);
    log << "\n" << v.line() << "\n";
    if (v.coverage) {
      log << "directions exercised:";
      for (auto& d : v.coverage->describe()) log << " " << d;
      log << "\n";
    }
    if (json) {
      nlohmann::json j = v.to_json();
      j["fuzz"] = extra;
      if (!reported_bugs.empty()) j["bugs"] = reported_bugs;
      std::cout << make_engine_result("fuzz", protocol, nlohmann::json::array({j})).dump(2) << "\n";
    }
    return v.clean() ? kExitClean : kExitFinding;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dfrace fuzz: internal error: %s\n", e.what());
    return kExitInternal;
  }
}
