#include "report.hpp"

#include <cstdio>
#include <sstream>
#include <thread>

namespace dfrace::bench {

namespace {

using nlohmann::json;

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

std::string fmt2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

json fraction_or_null(double f) { return f < 0 ? json(nullptr) : json(f); }

json path_json(const PathMeasurement& m) {
  json curve = json::array();
  for (const QuantilePoint& p : m.latency.curve) curve.push_back({p.q, p.ns});
  json tp = json::array();
  for (const ThroughputPoint& t : m.throughput) {
    tp.push_back({{"threads", t.threads}, {"mops", t.mops}, {"overflow_fraction", fraction_or_null(t.overflow_fraction)}});
  }
  return {{"latency_ns",
           {{"p50", m.latency.p50},
            {"p90", m.latency.p90},
            {"p99", m.latency.p99},
            {"p999", m.latency.p999},
            {"max", m.latency.max},
            {"mean", m.latency.mean},
            {"batches", m.latency.samples}}},
          {"latency_ns_all_batches",
           {{"p50", m.latency_all.p50},
            {"p99", m.latency_all.p99},
            {"p999", m.latency_all.p999},
            {"max", m.latency_all.max},
            {"batches", m.latency_all.samples}}},
          {"preempted_batch_fraction", m.preempted_fraction},
          {"latency_ns_batches_without_fallback",
           m.fallback_batch_fraction < 0
               ? json(nullptr)
               : json{{"p50", m.latency_no_fallback.p50},
                      {"p99", m.latency_no_fallback.p99},
                      {"p999", m.latency_no_fallback.p999},
                      {"batches", m.latency_no_fallback.samples}}},
          {"fallback_batch_fraction", fraction_or_null(m.fallback_batch_fraction)},
          {"latency_overflow_fraction", fraction_or_null(m.latency_overflow_fraction)},
          {"throughput", tp},
          {"quantile_curve", curve}};
}

double mops_at(const PathMeasurement& m, unsigned threads) {
  for (const ThroughputPoint& t : m.throughput) {
    if (t.threads == threads) return t.mops;
  }
  return 0.0;
}

json fallback_percent_or_null(double fraction) { return fraction < 0 ? json(nullptr) : json(100.0 * fraction); }

json tail_json(const TailAttribution& t) {
  json causes = json::array();
  for (std::size_t c = 0; c < kTailCauses.size(); ++c) {
    const CauseShare& s = t.causes[c];
    causes.push_back({{"cause", kTailCauses[c].key},
                      {"label", kTailCauses[c].label},
                      {"tail_batches", s.tail_batches},
                      {"tail_percent", s.tail_percent},
                      {"tail_batches_with_event_percent", s.tail_with_event_percent},
                      {"all_batches_with_event_percent", s.all_with_event_percent},
                      {"median_ns_per_call", s.median_ns}});
  }
  return {{"threshold_ns", t.threshold_ns},
          {"batches", t.batches},
          {"tail_batches", t.tail_batches},
          {"attributed_run_latency_ns", {{"p50", t.latency.p50}, {"p99", t.latency.p99}, {"p999", t.latency.p999}}},
          {"causes", causes},
          {"tail_excess_time_percent", {{"lock_wait", t.lock_wait_time_percent}, {"drain_queue", t.queue_time_percent}}},
          {"trylock_failures_in_tail", t.trylock_failures_in_tail},
          {"mean_ns_per_drain_queue", t.mean_queue_ns},
          {"mean_ns_per_lock_wait", t.mean_lock_wait_ns},
          {"preempted_batches",
           {{"batches", t.preempted_batches},
            {"percent_of_all_batches", t.preempted_percent},
            {"with_drain_queued_percent", t.preempted_with_drain_queued_percent},
            {"median_ns_per_call", t.preempted_median_ns}}}};
}

const DesignRun* run_with(const DesignMeasurement& d, unsigned producers) {
  for (const DesignRun& r : d.runs) {
    if (r.producers == producers) return &r;
  }
  return nullptr;
}

json design_json(const DesignMeasurement& d, const SuiteResult& res) {
  json runs = json::array();
  for (const DesignRun& r : d.runs) {
    const DesignRun* floor = run_with(res.side_floor, r.producers);
    const DesignRun* sync = run_with(res.side_sync, r.producers);
    json rj = {{"producers", r.producers},
               {"latency_ns",
                {{"p50", r.latency.latency.p50},
                 {"p99", r.latency.latency.p99},
                 {"p999", r.latency.latency.p999},
                 {"batches", r.latency.latency.samples}}},
               {"preempted_batch_fraction", r.latency.preempted_fraction},
               {"fallback_percent", fallback_percent_or_null(d.meta ? r.latency.latency_overflow_fraction : -1)},
               {"throughput_mops", r.throughput.mops},
               {"throughput_fallback_percent", fallback_percent_or_null(d.meta ? r.throughput.overflow_fraction : -1)},
               {"ratios",
                {{"p50_over_floor_p50", floor ? ratio(r.latency.latency.p50, floor->latency.latency.p50) : 0.0},
                 {"p99_over_sync_p99", sync ? ratio(r.latency.latency.p99, sync->latency.latency.p99) : 0.0}}}};
    if (r.tail) rj["tail"] = tail_json(*r.tail);
    if (r.throughput_split) {
      rj["throughput_time_split"] = {{"lock_wait_percent_of_time", r.throughput_split->lock_wait_percent},
                                     {"drain_queue_percent_of_time", r.throughput_split->queue_percent},
                                     {"fallback_percent_of_calls", r.throughput_split->fallback_percent},
                                     {"trylock_failed_percent_of_calls", r.throughput_split->trylock_failed_percent}};
    }
    runs.push_back(rj);
  }
  json j = {{"label", d.label}, {"audit_clean", d.audit_clean}, {"runs", runs}};
  if (!d.audit_clean) j["audit_detail"] = d.audit_detail;
  if (d.meta) {
    j["protocol"] = std::string(d.meta->protocol->name);
    j["recipe"] = d.meta->name;
    j["claimed_correct"] = d.meta->claimed_correct;
  }
  return j;
}

// The designs whose p99 with `producers` producers is at or below the synchronous free's in the same run.
std::vector<std::string> at_or_below_sync_p99(const SuiteResult& res, unsigned producers) {
  std::vector<std::string> out;
  const DesignRun* sync = run_with(res.side_sync, producers);
  for (const DesignMeasurement& d : res.designs) {
    const DesignRun* r = run_with(d, producers);
    if (sync && r && r->latency.latency.p99 <= sync->latency.latency.p99) out.push_back(d.label);
  }
  return out;
}

Coverage coverage_of(const RecipeMeasurement& r, std::size_t size) {
  DirectionSet observed = 0;
  for (const PathMeasurement* m : {&r.enqueue, &r.bound, &r.bound_no_stats}) {
    for (const RunOutcome& o : m->outcomes) observed |= o.observed;
  }
  return Coverage::of(observed, *r.meta.protocol->directions);
}

}  // namespace

Verdict audit_verdict(const RecipeMeasurement& r, std::size_t size) {
  Verdict v;
  v.engine = "bench";
  v.recipe = r.meta.name;
  std::uint64_t handles = 0;
  for (const PathMeasurement* m : {&r.enqueue, &r.bound, &r.bound_no_stats}) {
    for (const RunOutcome& o : m->outcomes) {
      if (o.stats) handles += o.stats->enqueued;
    }
  }
  if (r.audit_clean) {
    v.kind = VerdictKind::kClean;
    v.detail = "native benchmark runs (x86-64, not a model checker): " + std::to_string(handles) +
               " handles enqueued, each freed exactly once by the backend's audit";
    v.coverage = coverage_of(r, size);
  } else {
    v.kind = VerdictKind::kInvariant;
    v.detail = "each handle freed exactly once: " + r.audit_detail;
  }
  return v;
}

json to_json(const SuiteResult& res, const std::string& command) {
  const Settings& s = res.settings;
  const SuiteOptions& o = res.options;
  json j;
  j["tool"] = "dfrace-bench";
  j["format"] = 2;
  j["command"] = command;
  j["machine"] = {{"hardware_threads", std::thread::hardware_concurrency()},
                  {"loadavg_before", res.load_before},
                  {"loadavg_after", res.load_after},
                  {"tsc_ticks_per_ns", s.cal.ticks_per_ns},
                  {"tsc_bracket_overhead_ticks", s.cal.overhead_ticks}};
  j["config"] = {{"quick", o.quick},
                 {"mutants", o.include_mutants},
                 {"size", s.size},
                 {"nr_cpus", s.nr_cpus},
                 {"producer_cpu", s.pins.producer},
                 {"drain_cpu", s.pins.drain},
                 {"batch", o.batch},
                 {"latency_rate_mops", o.rate_mops},
                 {"latency_seconds_per_path", o.latency_seconds},
                 {"throughput_seconds_per_path", o.throughput_seconds},
                 {"sweep_seconds_per_point", o.sweep_seconds}};
  j["method"] =
      "Latency: one producer, paced at latency_rate_mops, drain worker running; batches of `batch` consecutive calls "
      "timed with the TSC (lfence-bracketed rdtsc/rdtscp, median empty-bracket overhead subtracted), one sample "
      "= batch time / batch. Percentiles are over batches. Throughput: back-to-back batches, calls / timed time, "
      "summed over threads. enqueue includes the user-space CPU binding (a std::mutex); enqueue_on_bound_cpu is "
      "the kernel-equivalent hot path (get_cpu_ptr is a preempt-count increment). Ratios to the floor use "
      "enqueue_on_bound_cpu.";
  j["seconds"] = res.seconds;
  json designs = json::array();
  for (const DesignMeasurement& d : res.designs) designs.push_back(design_json(d, res));
  json below = json::array();
  for (const unsigned n : o.design_producers) {
    below.push_back({{"producers", n}, {"designs", at_or_below_sync_p99(res, n)}});
  }
  j["side_by_side"] = {
      {"method",
       "Each registered protocol's first claimed-correct recipe (its design), enqueue_on_bound_cpu, next to the floor "
       "and the synchronous free, each with 1 and 2 producers (producer t on CPU slot t). Latency: every producer "
       "paced at latency_rate_mops, percentiles over all producers' batches (preempted batches set apart). "
       "fallback_percent: calls of the latency run that freed synchronously (pool statistics). Throughput: back to "
       "back, summed. tail: a second paced run on AttributedPlatform; every batch at or above that run's p99 is "
       "charged to the first event it contains in the order of `causes` (tail_percent sums to 100); "
       "all_batches_with_event_percent is the event's base rate over the whole run."},
      {"producer_counts", o.design_producers},
      {"floor", design_json(res.side_floor, res)},
      {"sync_free", design_json(res.side_sync, res)},
      {"designs", designs},
      {"p99_at_or_below_sync_p99", below}};
  j["floor"] = path_json(res.floor);
  j["sync_free"] = path_json(res.sync_free);
  if (res.sync_free_modelled) {
    j["sync_free_modelled"] = path_json(*res.sync_free_modelled);
    j["sync_free_modelled"]["modelled_ns_under_lock"] = o.model_zs_free_ns;
    j["sync_free_modelled"]["note"] =
        "a MODEL: the stand-in zs_free plus a fixed busy time under the lock for the real zs_free's class lock, "
        "zspage bookkeeping and occasional zspage free; sync_free is the unmodelled figure";
  }
  j["recipes"] = json::array();
  for (const RecipeMeasurement& r : res.recipes) {
    json rj;
    rj["name"] = r.meta.name;
    rj["claimed_correct"] = r.meta.claimed_correct;
    rj["is_mutant"] = r.meta.is_mutant;
    rj["enqueue"] = path_json(r.enqueue);
    rj["enqueue_on_bound_cpu"] = path_json(r.bound);
    rj["enqueue_on_bound_cpu_no_stats"] = path_json(r.bound_no_stats);
    rj["ratios"] = {
        {"bound_no_stats_over_floor_p50", ratio(r.bound_no_stats.latency.p50, res.floor.latency.p50)},
        {"bound_no_stats_over_floor_p99", ratio(r.bound_no_stats.latency.p99, res.floor.latency.p99)},
        {"sync_over_bound_no_stats_p99", ratio(res.sync_free.latency.p99, r.bound_no_stats.latency.p99)},
        {"bound_over_floor_p50", ratio(r.bound.latency.p50, res.floor.latency.p50)},
        {"bound_over_floor_p99", ratio(r.bound.latency.p99, res.floor.latency.p99)},
        {"enqueue_over_floor_p50", ratio(r.enqueue.latency.p50, res.floor.latency.p50)},
        {"sync_over_bound_p99", ratio(res.sync_free.latency.p99, r.bound.latency.p99)},
        {"sync_over_enqueue_p99", ratio(res.sync_free.latency.p99, r.enqueue.latency.p99)},
        {"sync_over_bound_without_fallback_batches_p99",
         ratio(res.sync_free.latency.p99, r.bound.latency_no_fallback.p99)},
    };
    if (res.sync_free_modelled) {
      rj["ratios"]["modelled_sync_over_bound_p99"] = ratio(res.sync_free_modelled->latency.p99, r.bound.latency.p99);
      rj["ratios"]["modelled_sync_over_bound_no_stats_p99"] =
          ratio(res.sync_free_modelled->latency.p99, r.bound_no_stats.latency.p99);
    }
    rj["verdict"] = audit_verdict(r, s.size).to_json();
    j["recipes"].push_back(rj);
  }
  json points = json::array();
  for (const SweepPoint& p : res.sweep) {
    points.push_back({{"size", p.size},
                      {"offered_mops", p.offered_mops},
                      {"achieved_mops", p.achieved_mops},
                      {"drained_per_s", p.drained_per_s},
                      {"drain_capacity_per_s", p.drain_capacity_per_s},
                      {"overflow_fraction", p.overflow_fraction},
                      {"p99_ns", p.p99_ns},
                      {"drain_runs", p.drain_runs},
                      {"drain_wakeup_mean_us", p.mean_wakeup_us},
                      {"drain_wakeup_max_us", p.max_wakeup_us},
                      {"audit_clean", p.audit_clean}});
  }
  j["sweep"] = {{"recipe", o.sweep_recipe}, {"path", "enqueue_on_bound_cpu"}, {"points", points}};
  return j;
}

std::string format_side_by_side(const SuiteResult& res) {
  std::ostringstream out;
  char line[640];
  std::snprintf(line, sizeof line,
                "## Designs side by side (SIZE %zu, batch %u, %.1f M calls/s offered per producer; load %s)\n\n",
                res.settings.size, res.options.batch, res.options.rate_mops, res.load_before.c_str());
  out << line;
  out << "| design | producers | p50 ns | p99 ns | p50 / floor | p99 / sync | M frees/s | fallback % | "
         "fallback % (back to back) | preempted % |\n|---|---|---|---|---|---|---|---|---|---|\n";
  auto pct = [](double fraction) { return fraction < 0 ? std::string("-") : fmt2(100.0 * fraction); };
  for (const unsigned n : res.options.design_producers) {
    const DesignRun* floor = run_with(res.side_floor, n);
    const DesignRun* sync = run_with(res.side_sync, n);
    auto row = [&](const DesignMeasurement& d) {
      const DesignRun* r = run_with(d, n);
      if (!r) return;
      const bool pool = d.meta.has_value();
      std::snprintf(line, sizeof line, "| %s | %u | %.2f | %.1f | %.2f | %.2f | %.1f | %s | %s | %.2f |\n",
                    d.label.c_str(), n, r->latency.latency.p50, r->latency.latency.p99,
                    floor ? ratio(r->latency.latency.p50, floor->latency.latency.p50) : 0.0,
                    sync ? ratio(r->latency.latency.p99, sync->latency.latency.p99) : 0.0, r->throughput.mops,
                    pool ? pct(r->latency.latency_overflow_fraction).c_str() : "-",
                    pool ? pct(r->throughput.overflow_fraction).c_str() : "-", 100.0 * r->latency.preempted_fraction);
      out << line;
    };
    row(res.side_floor);
    row(res.side_sync);
    for (const DesignMeasurement& d : res.designs) row(d);
  }
  out << "\nfloor = a per-thread array append; sync = zs_free under the backend lock; a design = its protocol's "
         "first claimed-correct\nrecipe, enqueue_on_bound_cpu. p50/p99: per call, over 64-call batches. fallback % = "
         "calls that freed synchronously.\n\n";

  out << "## Where each design's tail comes from (attributed run: batches at or above its p99)\n\n"
         "| design | producers | p50 / p99 ns | tail batches |";
  for (const TailCauseInfo& c : kTailCauses) out << " " << c.label << " |";
  out << " excess time: lock waits / queue() | preempted (set apart): % of batches, median ns, % queued the drain "
         "|\n|---|---|---|---|";
  for (std::size_t c = 0; c < kTailCauses.size(); ++c) out << "---|";
  out << "---|---|\n";
  for (const DesignMeasurement& d : res.designs) {
    for (const DesignRun& r : d.runs) {
      if (!r.tail) continue;
      const TailAttribution& t = *r.tail;
      std::snprintf(line, sizeof line, "| %s | %u | %.2f / %.1f | %zu |", d.label.c_str(), r.producers,
                    t.latency.p50, t.latency.p99, t.tail_batches);
      out << line;
      for (const CauseShare& c : t.causes) {
        std::snprintf(line, sizeof line, " %.1f %% (base %.1f %%) |", c.tail_percent, c.all_with_event_percent);
        out << line;
      }
      std::snprintf(line, sizeof line, " %.0f %% / %.0f %% | %.2f %%, %.0f ns, %.0f %% |\n", t.lock_wait_time_percent,
                    t.queue_time_percent, t.preempted_percent, t.preempted_median_ns,
                    t.preempted_with_drain_queued_percent);
      out << line;
    }
  }
  out << "\nEach tail batch is charged to the first event it contains, in the column order (the shares sum to "
         "100 %); base = share\nof all the run's batches containing that event. excess time = time measured inside "
         "lock waits / successful queue()\ncalls, over the tail batches' time above the run's p50.\n";
  for (const DesignMeasurement& d : res.designs) {
    for (const DesignRun& r : d.runs) {
      if (!r.tail) continue;
      std::snprintf(line, sizeof line, "%s, %u producer%s: one queue() that queued the drain took %.2f us on "
                    "average, one wait for a held lock %.2f us\n", d.label.c_str(), r.producers,
                    r.producers == 1 ? "" : "s", r.tail->mean_queue_ns / 1e3, r.tail->mean_lock_wait_ns / 1e3);
      out << line;
    }
  }
  out << "\n";
  out << "## Where the back-to-back time goes (the throughput runs above)\n\n"
         "| design | producers | M frees/s | fallback % of calls | try_lock failed % of calls | time waiting on held "
         "locks % | time in queue() % |\n|---|---|---|---|---|---|---|\n";
  for (const DesignMeasurement& d : res.designs) {
    for (const DesignRun& r : d.runs) {
      if (!r.throughput_split) continue;
      const ThroughputSplit& t = *r.throughput_split;
      std::snprintf(line, sizeof line, "| %s | %u | %.1f | %.2f | %.2f | %.1f | %.2f |\n", d.label.c_str(),
                    r.producers, r.throughput.mops, t.fallback_percent, t.trylock_failed_percent, t.lock_wait_percent,
                    t.queue_percent);
      out << line;
    }
  }
  out << "\n";
  for (const unsigned n : res.options.design_producers) {
    const DesignRun* sync = run_with(res.side_sync, n);
    const auto below = at_or_below_sync_p99(res, n);
    std::string names;
    for (const std::string& b : below) names += (names.empty() ? "" : ", ") + b;
    std::snprintf(line, sizeof line, "p99 at or below the synchronous free's (%.1f ns), %u producer%s: %s\n",
                  sync ? sync->latency.latency.p99 : 0.0, n, n == 1 ? "" : "s",
                  names.empty() ? "none" : names.c_str());
    out << line;
  }
  out << "\n";
  return out.str();
}

std::string format_table(const SuiteResult& res) {
  std::ostringstream out;
  out << format_side_by_side(res);
  char line[512];
  const double floor_p50 = res.floor.latency.p50;
  const double sync_p99 = res.sync_free.latency.p99;
  std::snprintf(line, sizeof line, "%-34s %7s %7s %7s %9s %9s %8s %8s %6s %6s\n", "recipe / path (ns per call)",
                "p50", "p99", "p99.9", "x floor", "sync/this", "Mops/s", "Mops/s", "ovf%", "pre%");
  out << line;
  std::snprintf(line, sizeof line, "%-34s %7s %7s %7s %9s %9s %8s %8s %6s %6s\n", "", "", "", "", "(p50)", "(p99)",
                "1T", "2T", "(lat)", "(lat)");
  out << line;
  auto row = [&](const std::string& name, const PathMeasurement& m, bool is_sync) {
    const double x_floor = ratio(m.latency.p50, floor_p50);
    std::snprintf(line, sizeof line, "%-34s %7.2f %7.2f %7.2f %9.2f %9s %8.1f %8.1f %6s %6.2f\n", name.c_str(),
                  m.latency.p50, m.latency.p99, m.latency.p999, x_floor,
                  is_sync ? "1" : fmt2(ratio(sync_p99, m.latency.p99)).c_str(),
                  mops_at(m, 1), mops_at(m, 2),
                  m.latency_overflow_fraction < 0 ? "-" : fmt2(100.0 * m.latency_overflow_fraction).c_str(),
                  100.0 * m.preempted_fraction);
    out << line;
  };
  row("floor: per-thread array append", res.floor, false);
  row("sync: zs_free under backend lock", res.sync_free, true);
  if (res.sync_free_modelled) {
    row("sync MODELLED +" + std::to_string(static_cast<int>(res.options.model_zs_free_ns)) + "ns under lock",
        *res.sync_free_modelled, true);
  }
  for (const RecipeMeasurement& r : res.recipes) {
    out << r.meta.name << (r.meta.claimed_correct ? " (claimed correct)" : "") << "\n";
    row("  bound", r.bound, false);
    row("  bound, no statistics (seed)", r.bound_no_stats, false);
    row("  enqueue (+mutex binding)", r.enqueue, false);
  }
  out << "bound = enqueue_on_bound_cpu, the kernel-equivalent hot path (the caller owns its CPU slot, as after\n"
         "get_cpu_ptr); the floor goal (<= 1.5) is judged on it. no statistics = the same pool on a platform whose\n"
         "counters count nothing, as in the seed (the pool's own: two single-writer adds per enqueue).\n"
         "enqueue = enqueue(cpu, h) including the user-space binding (std::mutex). x floor = p50 / floor p50.\n"
         "sync/this = unmodelled sync p99 / this p99. ovf% = enqueues that fell back to zs_free in the latency run\n"
         "(-: not counted: no pool, or a platform that keeps no statistics).\n"
         "pre% = batches set apart because the producer was preempted (not in the percentiles; see bench.json).\n";
  out << "\nThe deferred path alone: latency batches of 'bound' in which no call fell back to zs_free\n";
  std::snprintf(line, sizeof line, "%-34s %7s %7s %7s %9s %9s %12s\n", "recipe", "p50", "p99", "p99.9", "x floor",
                "sync/this", "fallback bat%");
  out << line;
  for (const RecipeMeasurement& r : res.recipes) {
    const LatencySummary& l = r.bound.latency_no_fallback;
    std::snprintf(line, sizeof line, "%-34s %7.2f %7.2f %7.2f %9.2f %9.2f %12.2f\n", r.meta.name.c_str(), l.p50,
                  l.p99, l.p999, ratio(l.p50, floor_p50), ratio(sync_p99, l.p99),
                  100.0 * r.bound.fallback_batch_fraction);
    out << line;
  }
  out << "\n";
  for (const RecipeMeasurement& r : res.recipes) {
    if (!r.meta.claimed_correct || r.meta.is_mutant) continue;
    const double to_floor = ratio(r.bound.latency.p50, floor_p50);
    const double to_floor_seed = ratio(r.bound_no_stats.latency.p50, floor_p50);
    const double sync_over = ratio(sync_p99, r.bound.latency.p99);
    std::snprintf(line, sizeof line,
                  "goals, %s: bound/floor p50 = %.2f (no statistics: %.2f; goal <= 1.5: %s); sync/bound p99 = %.2f "
                  "(goal >= 10: %s)",
                  r.meta.name.c_str(), to_floor, to_floor_seed, to_floor_seed <= 1.5 ? "met" : "NOT met", sync_over,
                  sync_over >= 10 ? "met" : "NOT met");
    out << line;
    std::snprintf(line, sizeof line, "; without fallback batches: %.2f",
                  ratio(sync_p99, r.bound.latency_no_fallback.p99));
    out << line;
    if (res.sync_free_modelled) {
      std::snprintf(line, sizeof line, "; MODELLED sync/bound p99 = %.2f",
                    ratio(res.sync_free_modelled->latency.p99, r.bound.latency.p99));
      out << line;
    }
    out << "\n";
  }
  std::snprintf(line, sizeof line, "SIZE %zu, batch %u, latency at %.1f Mcalls/s offered, load %s -> %s\n",
                res.settings.size, res.options.batch, res.options.rate_mops, res.load_before.c_str(),
                res.load_after.c_str());
  out << line;
  if (!res.sweep.empty()) {
    out << "\nSIZE sweep (" << res.options.sweep_recipe << ", bound, 1 producer). drain cap. = handles freed per second "
           "the drain ran;\nwake = delay from a successful schedule_work to the drain's start (mean, max):\n";
    std::snprintf(line, sizeof line, "%6s %9s %9s %12s %13s %7s %8s %10s %10s\n", "SIZE", "offered", "achieved",
                  "drained/s", "drain cap./s", "ovf%", "p99 ns", "wake us", "wake max");
    out << line;
    for (const SweepPoint& p : res.sweep) {
      char offered[32];
      if (p.offered_mops > 0) {
        std::snprintf(offered, sizeof offered, "%.1f M/s", p.offered_mops);
      } else {
        std::snprintf(offered, sizeof offered, "max");
      }
      std::snprintf(line, sizeof line, "%6zu %9s %7.1f M %12.3g %13.3g %7.2f %8.2f %10.1f %10.1f\n", p.size, offered,
                    p.achieved_mops, p.drained_per_s, p.drain_capacity_per_s, 100.0 * p.overflow_fraction, p.p99_ns,
                    p.mean_wakeup_us, p.max_wakeup_us);
      out << line;
    }
  }
  return out.str();
}

}  // namespace dfrace::bench
