// dfrace-bench: what the deferred free buys, measured against the physical floor, in one run.
//
//   dfrace-bench [--quick] [--json [FILE]] [--out DIR] [--mutants] [--size N] [--rate MOPS] [--batch N]
//
// Prints the table, writes DIR/bench.json, DIR/latency.svg, DIR/designs.svg and DIR/size_sweep.svg (DIR defaults to
// dfrace-report/bench). --json alone prints the JSON document to stdout instead of the table; --json FILE also
// writes it to FILE. Exit: 0 done, 1 a pool run failed the backend's audit (a handle not freed exactly once),
// 2 bad flags, 3 internal failure.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "infra/exit_codes.hpp"
#include "infra/parse_command_line.hpp"
#include "infra/recipe_lookup.hpp"
#include "infra/status_exit.hpp"
#include "report.hpp"
#include "suite.hpp"
#include "svg_charts.hpp"
#include "tsc_clock.hpp"

namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

std::string command_line(int argc, char** argv) {
  std::string s = "dfrace-bench";
  for (int i = 1; i < argc; ++i) s += std::string(" ") + argv[i];
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dfrace;
  using namespace dfrace::bench;
  CLI::App app{"dfrace-bench: latency of the deferred free against the floor and the synchronous zs_free",
               "dfrace-bench"};
  SuiteOptions opt;
  std::string json_target;
  std::string out_dir = "dfrace-report/bench";
  app.add_flag("--quick", opt.quick, "short run for CI (< 30 s)");
  app.add_option("--json", json_target, "write the JSON document to FILE; without FILE print it to stdout")
      ->expected(0, 1)
      ->default_str("-");
  app.add_option("--out", out_dir, "directory for bench.json, latency.svg, designs.svg, size_sweep.svg");
  app.add_flag("--mutants", opt.include_mutants, "also measure every mutant of the catalogue");
  app.add_option("--size", opt.size, "SIZE of the pool's buffers for the latency and throughput runs")
      ->check(CLI::Range(std::size_t{1}, kMaxBufferSize));
  app.add_option("--rate", opt.rate_mops, "offered rate of the latency runs, million calls per second (0 = max)")
      ->check(CLI::Range(0.0, 1000.0));
  app.add_option("--batch", opt.batch, "calls per timed batch")->check(CLI::Range(1u, 65536u));
  app.add_option("--model-zs-free-ns", opt.model_zs_free_ns,
                 "also report a MODELLED synchronous free: this many ns of busy work under the backend lock "
                 "(the unmodelled figure is always reported too)")
      ->check(CLI::Range(0.0, 1e6));
  app.add_flag("--pin", opt.pin, "pin the producer and the drain worker to different CPUs (latency, sweep)");
  app.add_option("--sweep-recipe", opt.sweep_recipe, "recipe of the SIZE sweep");
  if (auto exit_code = dfrace::parse_command_line(app, argc, argv, "dfrace-bench")) return *exit_code;
  const bool json_flag_given = app.count("--json") > 0;
  if (auto meta = lookup_recipe(opt.sweep_recipe); !meta.ok()) return report_failure("dfrace-bench", meta.status());
  if (!invariant_tsc()) std::fprintf(stderr, "dfrace-bench: warning: the CPU does not claim an invariant TSC\n");
  if (opt.quick) {
    opt.latency_seconds = 0.3;
    opt.throughput_seconds = 0.15;
    opt.sweep_sizes = {64, 256, 1024, 4096};
    opt.sweep_rates = {2, 8, 32, 0};
    opt.sweep_seconds = 0.08;
  }
  try {
    const SuiteResult result = run_suite(opt);
    const nlohmann::json doc = to_json(result, command_line(argc, argv));
    const std::string text = doc.dump(2) + "\n";
    std::filesystem::create_directories(out_dir);
    const std::filesystem::path dir(out_dir);
    write_file(dir / "bench.json", text);
    write_file(dir / "latency.svg", latency_svg(result));
    write_file(dir / "designs.svg", designs_svg(result));
    write_file(dir / "size_sweep.svg", size_sweep_svg(result));
    const bool json_to_stdout = json_flag_given && (json_target.empty() || json_target == "-");
    if (json_flag_given && !json_to_stdout) write_file(json_target, text);
    if (json_to_stdout) {
      std::cout << text;
    } else {
      std::cout << format_table(result);
      std::cout << "wrote " << (dir / "bench.json").string() << ", latency.svg, designs.svg, size_sweep.svg\n";
    }
    // A pool claimed correct must free each handle exactly once while it is measured; one claimed buggy (or a
    // mutant) may not (a recipe that swaps a buffer without its lock double-frees on real threads): its audit is
    // in bench.json.
    for (const RecipeMeasurement& r : result.recipes) {
      if (!r.audit_clean && r.meta.claimed_correct) {
        std::fprintf(stderr, "dfrace-bench: %s\n", audit_verdict(r, result.settings.size).line().c_str());
        return kExitFinding;
      }
    }
    for (const DesignMeasurement& d : result.designs) {
      if (!d.audit_clean) {
        std::fprintf(stderr, "dfrace-bench: design %s: a handle was not freed exactly once: %s\n", d.label.c_str(),
                     d.audit_detail.c_str());
        return kExitFinding;
      }
    }
    for (const SweepPoint& p : result.sweep) {
      if (!p.audit_clean) {
        std::fprintf(stderr, "dfrace-bench: SIZE sweep point %zu: a handle was not freed exactly once\n", p.size);
        return kExitFinding;
      }
    }
    return kExitClean;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dfrace-bench: internal error: %s\n", e.what());
    return kExitInternal;
  }
}
