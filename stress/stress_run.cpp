#include "stress_run.hpp"

namespace dfrace::stress {

nlohmann::json to_json(const StressOptions& o) {
  return {{"recipe", o.recipe},   {"seconds", o.seconds},   {"ops", o.ops},
          {"threads", o.threads}, {"cpus", o.cpus},         {"size", o.size},
          {"seed", o.seed},       {"chaos", o.chaos},       {"weak", o.weak},
          {"stale_probability", o.stale_probability},       {"alloc_fail_rate", o.alloc_fail_rate},
          {"round_ms", o.round_ms}, {"flush_every_ms", o.flush_every_ms},
          {"progress_seconds", o.progress_seconds}};
}

StressOptions options_from_json(const nlohmann::json& j) {
  StressOptions o;
  o.recipe = j.at("recipe").get<std::string>();
  o.seconds = j.at("seconds").get<double>();
  o.ops = j.at("ops").get<std::uint64_t>();
  o.threads = j.at("threads").get<unsigned>();
  o.cpus = j.at("cpus").get<unsigned>();
  o.size = j.at("size").get<std::size_t>();
  o.seed = j.at("seed").get<std::uint64_t>();
  o.chaos = j.at("chaos").get<bool>();
  o.weak = j.at("weak").get<bool>();
  o.stale_probability = j.at("stale_probability").get<double>();
  o.alloc_fail_rate = j.at("alloc_fail_rate").get<double>();
  o.round_ms = j.at("round_ms").get<double>();
  o.flush_every_ms = j.at("flush_every_ms").get<double>();
  o.progress_seconds = j.at("progress_seconds").get<double>();
  return o;
}

nlohmann::json to_json(const StressTotals& t) {
  return {{"ops", t.ops},
          {"handles", t.handles},
          {"deferred", t.deferred},
          {"overflows", t.overflows},
          {"drained", t.drained},
          {"flushed", t.flushed},
          {"drains", t.drains},
          {"flushes", t.flushes},
          {"rounds", t.rounds},
          {"alloc_failures", t.alloc_failures},
          {"stale_loads", t.stale_loads},
          {"seconds", t.seconds},
          {"ops_per_second", t.ops_per_second()},
          {"interrupted", t.interrupted},
          {"invariant", t.invariant},
          {"exercised", t.coverage.exercised}};
}

StressTotals totals_from_json(const nlohmann::json& j) {
  StressTotals t;
  t.ops = j.value("ops", std::uint64_t{0});
  t.handles = j.value("handles", std::uint64_t{0});
  t.deferred = j.value("deferred", std::uint64_t{0});
  t.overflows = j.value("overflows", std::uint64_t{0});
  t.drained = j.value("drained", std::uint64_t{0});
  t.flushed = j.value("flushed", std::uint64_t{0});
  t.drains = j.value("drains", std::uint64_t{0});
  t.flushes = j.value("flushes", std::uint64_t{0});
  t.rounds = j.value("rounds", std::uint64_t{0});
  t.alloc_failures = j.value("alloc_failures", std::uint64_t{0});
  t.stale_loads = j.value("stale_loads", std::uint64_t{0});
  t.seconds = j.value("seconds", 0.0);
  t.interrupted = j.value("interrupted", false);
  t.invariant = j.value("invariant", std::string());
  if (j.contains("exercised") && j["exercised"].is_array()) {
    for (const auto& d : j["exercised"]) {
      if (d.is_string()) t.coverage.exercised.push_back(d.get<std::string>());
    }
  }
  return t;
}

}  // namespace dfrace::stress
