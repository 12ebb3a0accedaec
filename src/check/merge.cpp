#include "check/merge.hpp"

#include <absl/strings/str_cat.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "infra/quote.hpp"

namespace dfrace::check {

namespace fs = std::filesystem;

bool parse_shard(const std::string& text, Shard& out) {
  unsigned a = 0, b = 0;
  char slash = 0;
  std::istringstream in(text);
  if (!(in >> a >> slash >> b) || slash != '/' || !in.eof() || b == 0 || a >= b) return false;
  out = {a, b};
  return true;
}

std::string shard_name(const Shard& s) { return std::to_string(s.k) + "/" + std::to_string(s.n); }

std::vector<std::pair<std::size_t, std::string>> select_shard(const std::vector<std::string>& all, const Shard& s) {
  std::vector<std::pair<std::size_t, std::string>> out;
  for (std::size_t i = s.k; i < all.size(); i += s.n) out.emplace_back(i, all[i]);
  return out;
}

namespace {

void write_json(const fs::path& p, const nlohmann::json& j) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << j.dump(2) << "\n";
}

absl::Status bad(const fs::path& where, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat("--merge: ", where.string(), ": ", why));
}

}  // namespace

void save_manifest(const fs::path& dir, const Shard& s, const std::vector<std::pair<std::size_t, std::string>>& recipes,
                   const std::vector<std::string>& engines, const std::string& protocol) {
  nlohmann::json r = nlohmann::json::array();
  for (const auto& [pos, name] : recipes) r.push_back({{"position", pos}, {"recipe", name}});
  write_json(dir / "shard.json",
             {{"shard", shard_name(s)}, {"protocol", protocol}, {"engines", engines}, {"recipes", r}});
}

void save_run(const fs::path& dir, const SavedRun& run) {
  static std::atomic<int> counter{0};
  const fs::path p = dir / "runs" / (run.job.engine + "-" + std::to_string(counter++) + ".json");
  write_json(p, {{"engine", run.job.engine},
                 {"recipes", run.job.recipes},
                 {"protocol", run.job.protocol},
                 {"argv", run.job.argv},
                 {"seconds", run.seconds},
                 {"exit_code", run.outcome.exit_code},
                 {"signal", run.outcome.signal},
                 {"timed_out", run.outcome.timed_out},
                 {"start_error", run.outcome.start_error},
                 {"last_line", run.outcome.last_line},
                 {"stdout", run.outcome.out}});  // the engine result document as printed
}

absl::StatusOr<LoadedShards> load_shards(const std::vector<fs::path>& dirs) {
  LoadedShards out;
  std::set<unsigned> seen;
  std::map<std::size_t, std::string> recipes;  // by position in the whole list
  for (const fs::path& dir : dirs) {
    std::ifstream in(dir / "shard.json");
    if (!in) return bad(dir, "no shard.json (not a directory written by check --results)");
    const nlohmann::json m = nlohmann::json::parse(in, nullptr, false);
    try {
      if (m.is_discarded()) return bad(dir / "shard.json", "not JSON");
      Shard s;
      if (!parse_shard(m.at("shard").get<std::string>(), s)) return bad(dir / "shard.json", "bad \"shard\"");
      const auto engines = m.at("engines").get<std::vector<std::string>>();
      const auto protocol = m.at("protocol").get<std::string>();
      if (out.n == 0) {
        out.n = s.n;
        out.engines = engines;
        out.protocol = protocol;
      } else if (s.n != out.n || engines != out.engines || protocol != out.protocol) {
        return bad(dir, "shard " + shard_name(s) + " is of another run (its N, engines or protocol differ)");
      }
      if (!seen.insert(s.k).second) return bad(dir, "shard " + shard_name(s) + " given twice");
      for (const auto& r : m.at("recipes")) recipes[r.at("position").get<std::size_t>()] = r.at("recipe").get<std::string>();
    } catch (const nlohmann::json::exception& e) {
      return bad(dir / "shard.json", e.what());
    }
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir / "runs", ec)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::ifstream rin(f);
      const nlohmann::json j = nlohmann::json::parse(rin, nullptr, false);
      try {
        if (j.is_discarded()) return bad(f, "not JSON");
        SavedRun run;
        run.job.engine = j.at("engine").get<std::string>();
        run.job.recipes = j.at("recipes").get<std::vector<std::string>>();
        run.job.protocol = j.at("protocol").get<std::string>();
        run.job.argv = j.value("argv", std::vector<std::string>{});
        run.seconds = j.at("seconds").get<double>();
        run.outcome = {j.at("exit_code").get<int>(),       j.at("signal").get<int>(),
                       j.at("timed_out").get<bool>(),      j.at("start_error").get<std::string>(),
                       j.at("stdout").get<std::string>(),  j.at("last_line").get<std::string>()};
        out.runs.push_back(std::move(run));
      } catch (const nlohmann::json::exception& e) {
        return bad(f, e.what());
      }
    }
  }
  for (const auto& [pos, name] : recipes) out.recipes.push_back(name);
  for (unsigned k = 0; k < out.n; ++k) {
    if (!seen.count(k)) out.missing.push_back(shard_name({k, out.n}));
  }
  return out;
}

}  // namespace dfrace::check
