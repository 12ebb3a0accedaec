// dfrace-repro FILE [--recipe NAME] [--svg PATH] [--full] [--stop-at-race] [--quiet]: replays a saved schedule,
// prints the steps that matter (every step with --full) and draws its execution graph (FILE.svg, FILE.dot).
// Exit 1 when the finding reproduces, 0 when the replay is clean, 2 when FILE is not a schedule (with a reason).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "infra/exit_codes.hpp"
#include "infra/parse_command_line.hpp"
#include "exec/registry.hpp"
#include "protocols/registry.hpp"
#include "tools/access_order.hpp"
#include "tools/replay.hpp"

// quarantine_size_mb: see targets/fuzz_target.cpp (the --bench loop is the fuzzing loop).
extern "C" const char* __asan_default_options() { return "detect_leaks=0:quarantine_size_mb=16"; }

int main(int argc, char** argv) {
  CLI::App app{"dfrace repro: replay a fuzz finding and show its interleaving", "dfrace repro"};
  std::string file, recipe, svg;
  bool quiet = false;
  long bench = 0;
  std::string write_finding, export_order;
  bool list_claimed = false;
  bool stop_at_race = false, full = false;
  std::size_t width = 100;
  app.add_option("file", file, "finding file (.dfrace) or raw libFuzzer input (with --recipe)");
  app.add_flag("--stop-at-race", stop_at_race,
               "end at the first data race (default: report it and go on to what it leads to, as hardware would)");
  app.add_flag("--full", full, "show every step (default: the racing/violating accesses and what leads to them)");
  app.add_option("--width", width, "terminal columns for the timeline")->check(CLI::Range(60, 400));
  app.add_flag("--list-claimed-correct", list_claimed, "print the recipes the catalogue claims correct, one a line");
  app.add_option("--recipe", recipe, "recipe to replay on (required for a raw input; overrides the file's)");
  app.add_option("--svg", svg, "where to draw the execution graph (default: FILE.svg; the DOT source next to it)");
  app.add_flag("--quiet", quiet, "print only the verdict line");
  app.add_option("--write-finding", write_finding,
                 "save the schedule as a finding file (header + raw bytes) at this path, e.g. after -minimize_crash");
  app.add_option("--export-order", export_order,
                 "write the program and the order of its shared accesses for the native replay (`repro --native`)");
  app.add_option("--bench", bench, "also run the schedule N times untraced and print executions per second")
      ->check(CLI::Range(1L, 100000000L));
  app.footer("./dfrace repro FILE --native: also replays the interleaving on real threads of the native pool under "
             "ThreadSanitizer (fuzz/native/) and says whether TSan confirms the race.");
  if (auto exit_code = dfrace::parse_command_line(app, argc, argv, "dfrace repro")) return *exit_code;
  if (list_claimed) {
    for (const auto& m : dfrace::protocols::all_recipes(false)) {
      if (m.claimed_correct) std::cout << m.name << "\n";
    }
    return dfrace::kExitClean;
  }
  if (file.empty()) {
    std::fprintf(stderr, "dfrace repro: a FILE to replay is required (see --help)\n");
    return dfrace::kExitUsage;
  }
  try {
    std::string why;
    auto s = dfrace::fuzz::load_schedule(file, recipe, why);
    if (!s) {
      std::fprintf(stderr, "dfrace repro: %s: %s\n", file.c_str(), why.c_str());
      return dfrace::kExitUsage;
    }
    s->stop_at_race = stop_at_race;
    if (!write_finding.empty()) {
      if (!dfrace::fuzz::write_file(write_finding, dfrace::fuzz::finding_for(s->recipe, s->input))) {
        std::fprintf(stderr, "dfrace repro: cannot write %s\n", write_finding.c_str());
        return dfrace::kExitUsage;
      }
    }
    if (svg.empty() && !quiet) svg = file + ".svg";
    std::ostringstream text;
    auto r = dfrace::fuzz::replay(*s, text, {.picture = quiet ? std::string() : svg, .full = full, .width = width});
    if (!r) return dfrace::kExitInternal;
    if (!export_order.empty()) {
      std::ofstream order(export_order);
      order << dfrace::fuzz::access_order(s->recipe, *r);
      if (!order) {
        std::fprintf(stderr, "dfrace repro: cannot write %s\n", export_order.c_str());
        return dfrace::kExitUsage;
      }
    }
    if (bench > 0) {
      auto exec = dfrace::fuzz::find_executor(s->recipe);
      const auto t0 = std::chrono::steady_clock::now();
      for (long i = 0; i < bench; ++i) exec(s->input.data(), s->input.size(), {.trace = false, .feedback = true, .races_fatal = stop_at_race});
      const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::cout << "bench: " << bench << " executions of " << r->outcome.steps << " scheduling points in " << sec
                << " s = " << static_cast<long>(bench / sec) << " exec/s\n";
    }
    if (quiet) {
      std::cout << r->outcome.line() << "\n";
    } else {
      std::cout << text.str();
    }
    return r->outcome.finding() ? dfrace::kExitFinding : dfrace::kExitClean;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dfrace repro: internal error: %s\n", e.what());
    return dfrace::kExitInternal;
  }
}
