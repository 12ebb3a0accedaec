#include "check/engines.hpp"

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "check/subprocess.hpp"

namespace dfrace::check {

std::vector<EngineSpec> engine_specs() {
  return {
      {"relacy", "default/relacy/dfrace-relacy", true, false},
      {"fuzz", "fuzz/fuzz/dfrace-fuzz", false, true},
      {"tsan", "tsan/stress/dfrace-stress", false, true},
  };
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

void collect(const nlohmann::json& j, std::vector<Verdict>& out) {
  if (auto v = Verdict::from_json(j)) {
    out.push_back(*v);
    return;
  }
  if (j.is_object() || j.is_array()) {
    for (const auto& child : j) collect(child, out);
  }
}

}  // namespace

std::vector<Verdict> verdicts_in_output(const std::string& out) {
  std::vector<Verdict> verdicts;
  // An engine prints one JSON document, possibly after other lines; take the first '{' or '[' that parses.
  for (std::size_t pos = out.find_first_of("{["); pos != std::string::npos; pos = out.find_first_of("{[", pos + 1)) {
    auto j = nlohmann::json::parse(out.begin() + static_cast<std::ptrdiff_t>(pos), out.end(), nullptr, false);
    if (!j.is_discarded()) {
      collect(j, verdicts);
      break;
    }
  }
  return verdicts;
}

void run_jobs(std::vector<EngineJob> jobs, int parallel, Matrix& matrix,
              const std::function<void(const std::string&)>& progress) {
  std::mutex mu;  // guards `jobs`, `matrix` and progress output
  std::deque<EngineJob> queue(jobs.begin(), jobs.end());
  auto cell = [&](const std::string& recipe, const std::string& engine) -> EngineCell& {
    for (auto& r : matrix.rows)
      if (r.recipe == recipe) return r.cells[engine];
    throw std::logic_error("no matrix row for " + recipe);
  };
  auto worker = [&] {
    for (;;) {
      EngineJob job;
      {
        std::lock_guard g(mu);
        if (queue.empty()) return;
        job = std::move(queue.front());
        queue.pop_front();
        std::string names;
        for (const auto& r : job.recipes) names += (names.empty() ? "" : ", ") + r;
        progress("[" + job.engine + "] start: " + names);
      }
      const auto start = std::chrono::steady_clock::now();
      std::string last_lines;
      ProcessResult res = run_process(job.argv, job.deadline, [&](const std::string& line) {
        last_lines = (last_lines.size() > 2000 ? last_lines.substr(last_lines.size() - 1000) : last_lines) + line + "\n";
        std::lock_guard g(mu);
        progress("[" + job.engine + "] " + line);
      });
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::vector<Verdict> verdicts = verdicts_in_output(res.out);
      std::lock_guard g(mu);
      for (const auto& recipe : job.recipes) {
        EngineCell& c = cell(recipe, job.engine);
        c.seconds = seconds;
        for (const auto& v : verdicts) {
          if (v.recipe == recipe) c.verdict = v;
        }
        if (!c.verdict) {
          if (!res.error.empty()) c.error = res.error;
          else if (res.timed_out) c.error = "timed out after " + std::to_string(job.deadline.count()) + " s";
          else if (res.signal != 0) c.error = "engine died of signal " + std::to_string(res.signal);
          else c.error = "engine exit " + std::to_string(res.exit_code) + " without a verdict";
          if (!last_lines.empty()) {
            auto nl = last_lines.find_last_of('\n', last_lines.size() - 2);
            c.error += ": " + last_lines.substr(nl == std::string::npos ? 0 : nl + 1);
            while (!c.error.empty() && c.error.back() == '\n') c.error.pop_back();
          }
        }
        progress("[" + job.engine + "] " + recipe + ": " +
                 (c.verdict ? c.verdict->line() : "no verdict (" + c.error + ")"));
      }
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, parallel); ++i) workers.emplace_back(worker);
  for (auto& t : workers) t.join();
}

}  // namespace dfrace::check
