#include "latency_summary.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dfrace::bench {

namespace {
double at_quantile(const std::vector<float>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}
}  // namespace

LatencySummary summarize(std::vector<float>& samples, unsigned curve_points) {
  LatencySummary s;
  s.samples = samples.size();
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  s.p50 = at_quantile(samples, 0.50);
  s.p90 = at_quantile(samples, 0.90);
  s.p99 = at_quantile(samples, 0.99);
  s.p999 = at_quantile(samples, 0.999);
  s.max = samples.back();
  s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
  const double top = std::log10(static_cast<double>(samples.size()));  // q = 1 - 1/n
  for (unsigned i = 0; i < curve_points; ++i) {
    const double x = top * i / (curve_points - 1);
    const double q = 1.0 - std::pow(10.0, -x);
    s.curve.push_back({q, at_quantile(samples, q)});
  }
  return s;
}

}  // namespace dfrace::bench
