#include "svg_charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "svg_writer.hpp"

namespace dfrace::bench {

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::vector<std::pair<double, double>> spectrum(const PathMeasurement& m) {
  std::vector<std::pair<double, double>> pts;
  for (const QuantilePoint& p : m.latency.curve) pts.emplace_back(-std::log10(std::max(1e-12, 1.0 - p.q)), p.ns);
  return pts;
}

}  // namespace

namespace {

struct SpectrumLine {
  std::string name;
  const PathMeasurement* m;
  std::size_t colour;
  bool dashed;
};

// The percentile spectrum of each line on one log-log plot.
std::string spectrum_svg(const std::string& title, const std::vector<SpectrumLine>& lines, const std::string& note) {
  double lo = std::numeric_limits<double>::max(), hi = 0, right = 1;
  for (const SpectrumLine& l : lines) {
    for (const auto& [x, y] : spectrum(*l.m)) {
      if (y > 0) lo = std::min(lo, y);
      hi = std::max(hi, y);
      right = std::max(right, x);
    }
  }
  if (hi <= 0) lo = 1, hi = 10;
  SvgAxis x{"percentile of 64-call batches (log scale of 1 - q)", 0, std::ceil(right), false, {}};
  const char* const kLabels[] = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
  for (int i = 0; i <= static_cast<int>(x.max) && i < 7; ++i) x.ticks.emplace_back(i, kLabels[i]);
  SvgAxis y{"ns per call", std::pow(10.0, std::floor(std::log10(lo))), std::pow(10.0, std::ceil(std::log10(hi))),
            true, {}};
  for (double v = y.min; v <= y.max * 1.001; v *= 10) y.ticks.emplace_back(v, fmt("%g ns", v));
  SvgPlot plot(title, x, y);
  for (const SpectrumLine& l : lines) plot.add({l.name, spectrum(*l.m), palette(l.colour), l.dashed});
  return svg_document({plot}, 900, 460, note);
}

}  // namespace

std::string latency_svg(const SuiteResult& r) {
  // a recipe's bound and enqueue lines share a colour; the floor and the sync lines have their own
  std::vector<SpectrumLine> lines{{"floor (array append)", &r.floor, 0, false},
                                  {"sync zs_free (stand-in)", &r.sync_free, 1, false}};
  if (r.sync_free_modelled) {
    lines.push_back({"sync, MODELLED +" + fmt("%.0f", r.options.model_zs_free_ns) + " ns", &*r.sync_free_modelled,
                     1, true});
  }
  std::size_t colour = 2;
  for (const RecipeMeasurement& rm : r.recipes) {
    if (rm.meta.is_mutant) continue;  // the picture shows the catalogue's recipes; the JSON has every mutant
    lines.push_back({rm.meta.name + " bound", &rm.bound, colour, false});
    lines.push_back({rm.meta.name + " enqueue", &rm.enqueue, colour++, true});
  }
  return spectrum_svg("Latency of one free call (SIZE " + std::to_string(r.settings.size) + ", " +
                          fmt("%.1f", r.options.rate_mops) + " M calls/s offered, drain worker running)",
                      lines,
                      "bound = enqueue_on_bound_cpu (kernel-equivalent hot path); enqueue = with the user-space CPU "
                      "binding (std::mutex). Load: " + r.load_before);
}

std::string designs_svg(const SuiteResult& r) {
  // one colour per design, solid with one producer, dashed with two (or more)
  std::vector<SpectrumLine> lines;
  std::size_t colour = 0;
  for (const DesignMeasurement* d : {&r.side_floor, &r.side_sync}) {
    for (const DesignRun& run : d->runs) {
      lines.push_back({d->label + ", " + std::to_string(run.producers) + "P", &run.latency, colour, run.producers > 1});
    }
    ++colour;
  }
  for (const DesignMeasurement& d : r.designs) {
    for (const DesignRun& run : d.runs) {
      lines.push_back({d.label + ", " + std::to_string(run.producers) + "P", &run.latency, colour, run.producers > 1});
    }
    ++colour;
  }
  return spectrum_svg("The designs side by side (SIZE " + std::to_string(r.settings.size) + ", " +
                          fmt("%.1f", r.options.rate_mops) + " M calls/s offered per producer)",
                      lines, "1P = one producer, 2P = two contending producers. Load: " + r.load_before);
}

std::string size_sweep_svg(const SuiteResult& r) {
  // x is the rate the producer achieved, not the one offered: on a loaded machine a paced producer often gets
  // far less CPU than it asks for, and the drain's lag depends on what was actually enqueued.
  double lo = std::numeric_limits<double>::max(), hi = 0, top_drained = 0;
  for (const SweepPoint& p : r.sweep) {
    if (p.achieved_mops > 0) lo = std::min(lo, p.achieved_mops), hi = std::max(hi, p.achieved_mops);
    top_drained = std::max(top_drained, p.drained_per_s / 1e6);
  }
  if (hi <= 0) lo = 0.1, hi = 10;
  SvgAxis x{"achieved producer rate (M calls/s, log)", std::pow(10.0, std::floor(std::log10(lo))),
            std::pow(10.0, std::ceil(std::log10(hi))), true, {}};
  for (double v = x.min; v <= x.max * 1.001; v *= 10) x.ticks.emplace_back(v, fmt("%g", v));
  top_drained = std::max(1.0, std::ceil(top_drained / 5) * 5);
  SvgAxis ovf{"enqueues falling back to zs_free (%)", 0, 100, false, {}};
  for (int v = 0; v <= 100; v += 20) ovf.ticks.emplace_back(v, std::to_string(v));
  SvgAxis drained{"handles drained (M/s, wall clock)", 0, top_drained, false, {}};
  for (int i = 0; i <= 5; ++i) drained.ticks.emplace_back(top_drained * i / 5, fmt("%g", top_drained * i / 5));
  SvgPlot left("When the drain falls behind: overflow to the synchronous free", x, ovf);
  SvgPlot right("Drain throughput", x, drained);
  std::vector<std::size_t> sizes;
  for (const SweepPoint& p : r.sweep) {
    if (std::find(sizes.begin(), sizes.end(), p.size) == sizes.end()) sizes.push_back(p.size);
  }
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    std::vector<SweepPoint> pts;
    for (const SweepPoint& p : r.sweep) {
      if (p.size == sizes[i]) pts.push_back(p);
    }
    std::sort(pts.begin(), pts.end(),
              [](const SweepPoint& a, const SweepPoint& b) { return a.achieved_mops < b.achieved_mops; });
    SvgSeries o{"SIZE " + std::to_string(sizes[i]), {}, palette(i + 1), false};
    SvgSeries d = o;
    for (const SweepPoint& p : pts) {
      o.points.emplace_back(p.achieved_mops, 100.0 * p.overflow_fraction);
      d.points.emplace_back(p.achieved_mops, p.drained_per_s / 1e6);
    }
    left.add(o);
    right.add(d);
  }
  return svg_document({left, right}, 620, 400,
                      "recipe " + r.options.sweep_recipe + ", one producer (enqueue_on_bound_cpu) paced at 1..32 M/s "
                      "offered and back to back, 2 CPU slots, native drain worker. Load: " + r.load_before);
}

}  // namespace dfrace::bench
