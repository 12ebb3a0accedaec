#include "check/engines.hpp"

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "infra/engine_result.hpp"
#include "infra/interrupt.hpp"
#include "infra/quote.hpp"
#include "infra/subprocess.hpp"
#include "protocols/registry.hpp"

namespace dfrace::check {

std::vector<EngineSpec> engine_specs() {
  return {
      {"relacy", "default/relacy/dfrace-relacy", true, false},
      {"fuzz", "fuzz/fuzz/dfrace-fuzz", false, true},
      {"tsan", "tsan/stress/dfrace-stress", false, true},
      {"prove", "fuzz/fuzz/dfrace-prove", false, false},
  };
}

// The configurations `check` proves a recipe at: its protocol's (Protocol::kCheckProveConfigs), since what fits
// the budget depends on the protocol. An unknown recipe gets none; prove then refuses it with its own error.
std::vector<std::string> prove_configs(const std::string& recipe) {
  std::vector<std::string> configs;
  if (auto meta = protocols::find_recipe(recipe); meta && meta->protocol != nullptr) {
    for (std::string_view c : meta->protocol->check_prove_configs) configs.emplace_back(c);
  }
  return configs;
}

EngineJob make_job(const EngineSpec& spec, const std::filesystem::path& build_root, const std::vector<std::string>& recipes,
                   int seconds, const std::filesystem::path& out_dir) {
  EngineJob job;
  job.engine = spec.name;
  job.recipes = recipes;
  job.argv.push_back((build_root / spec.binary).string());
  for (const auto& r : recipes) {
    job.argv.push_back("--recipe");
    job.argv.push_back(r);
  }
  job.argv.push_back("--json");
  if (spec.name == "relacy" || spec.name == "fuzz") {
    job.argv.push_back("--out");
    job.argv.push_back((out_dir / spec.name).string());
  }
  if (spec.name == "prove") {
    for (const auto& c : prove_configs(recipes.front())) job.argv.insert(job.argv.end(), {"--config", c});
    job.argv.insert(job.argv.end(), {"--quiet", "--out", (out_dir / "prove" / (recipes.front() + ".dfrace")).string()});
  }
  if (spec.name == "tsan") {
    // The budget split over the modes that find different bugs: timing perturbation, the drain's in-place
    // fallback (failed refills), and reorderings x86 never does (weak-memory emulation). The clean verdict names
    // each mode and its share.
    job.argv.insert(job.argv.end(), {"--modes", "chaos,alloc-fail,weak"});
  }
  if (spec.time_budgeted) {
    job.argv.push_back("--seconds");
    job.argv.push_back(std::to_string(seconds));
    job.deadline = std::chrono::seconds(seconds * 2 + 120);
  } else {
    job.deadline = std::chrono::seconds(600 + 60 * static_cast<int>(recipes.size()));
  }
  return job;
}

namespace {

EngineCell& cell_of(Matrix& matrix, const std::string& recipe, const std::string& engine) {
  for (auto& r : matrix.rows)
    if (r.recipe == recipe) return r.cells[engine];
  throw std::logic_error("no matrix row for " + recipe);
}

// Why a run gave no usable result, from how it ended.
std::string how_it_ended(const EngineJob& job, const JobOutcome& o) {
  if (!o.start_error.empty()) return o.start_error;
  if (o.timed_out) return "timed out after " + std::to_string(job.deadline.count()) + " s";
  if (o.signal != 0) return "engine died of signal " + std::to_string(o.signal);
  return "engine exit " + std::to_string(o.exit_code);
}

}  // namespace

void fill_cells(const EngineJob& job, const JobOutcome& outcome, double seconds, Matrix& matrix) {
  absl::StatusOr<EngineResult> result = parse_engine_result(outcome.out);
  std::string problem;  // for every recipe of the job, when the output as a whole is unusable
  if (!result.ok()) {
    problem = how_it_ended(job, outcome) + ", " + std::string(result.status().message());
  } else if (result->engine != job.engine) {
    problem = "engine result names engine " + quote_escaped(result->engine) + ", expected " + quote_escaped(job.engine);
  } else if (result->protocol != job.protocol) {
    problem = "engine result names protocol " + quote_escaped(result->protocol) + ", expected " + quote_escaped(job.protocol);
  }
  for (const auto& recipe : job.recipes) {
    EngineCell& c = cell_of(matrix, recipe, job.engine);
    c.seconds = seconds;
    c.verdict.reset();
    c.error.clear();
    c.bugs.clear();
    c.can_produce.clear();
    if (problem.empty()) {
      for (std::size_t i = 0; i < result->verdicts.size(); ++i) {
        if (result->verdicts[i].recipe != recipe) continue;
        c.verdict = result->verdicts[i];
        c.bugs = result->bugs[i];
        c.can_produce = result->can_produce;
      }
      if (!c.verdict) c.error = how_it_ended(job, outcome) + ", no verdict for " + quote_escaped(recipe) + " in its result";
    } else {
      c.error = problem;
    }
    if (!c.verdict && !outcome.last_line.empty()) c.error += ": " + outcome.last_line;
  }
}

void run_jobs(std::vector<EngineJob> jobs, int parallel, Matrix& matrix,
              const std::function<void(const std::string&)>& progress,
              const std::function<void(const EngineJob&, const JobOutcome&, double)>& on_done) {
  std::mutex mu;  // guards `queue`, `matrix` and progress output
  std::deque<EngineJob> queue(jobs.begin(), jobs.end());
  auto worker = [&] {
    for (;;) {
      EngineJob job;
      {
        std::lock_guard g(mu);
        if (queue.empty() || interrupt_signal() != 0) return;
        job = std::move(queue.front());
        queue.pop_front();
        std::string names;
        for (const auto& r : job.recipes) names += (names.empty() ? "" : ", ") + r;
        progress("[" + job.engine + "] start: " + names);
      }
      const auto start = std::chrono::steady_clock::now();
      std::string last_line;
      SubprocessOptions run;
      run.deadline = absl::FromChrono(job.deadline);
      run.grace = absl::Seconds(3);
      run.on_stderr_line = [&](std::string_view line) {
        if (line.empty()) return;
        last_line = std::string(line);
        std::lock_guard g(mu);
        progress("[" + job.engine + "] " + last_line);
      };
      SubprocessResult res = run_subprocess(job.argv, run);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::lock_guard g(mu);
      if (res.interrupted) return;  // no cell: the run is abandoned
      const JobOutcome outcome{res.exit_code, res.signal, res.timed_out, res.start_error, std::move(res.out),
                               std::move(last_line)};
      fill_cells(job, outcome, seconds, matrix);
      if (on_done) on_done(job, outcome, seconds);
      for (const auto& recipe : job.recipes) {
        const EngineCell& c = cell_of(matrix, recipe, job.engine);
        progress("[" + job.engine + "] " + recipe + ": " + (c.verdict ? c.verdict->line() : "no verdict (" + c.error + ")"));
      }
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, parallel); ++i) workers.emplace_back(worker);
  for (auto& t : workers) t.join();
}

}  // namespace dfrace::check
