// LatencySummary: the percentiles of a run's per-call samples, and a compact quantile curve for the picture.
//
// Contract: `summarize(samples)` sorts its argument. Percentiles are nearest-rank. The curve holds the latency
// at quantiles spaced evenly in -log10(1 - q) from q = 0 to q = 1 - 1/n (the "percentile spectrum" of HdrHistogram),
// so the tail gets as many points as the body.
#pragma once

#include <vector>

namespace dfrace::bench {

struct QuantilePoint {
  double q;
  double ns;
};

struct LatencySummary {
  std::size_t samples = 0;
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0, mean = 0;
  std::vector<QuantilePoint> curve;
};

LatencySummary summarize(std::vector<float>& samples, unsigned curve_points = 64);

}  // namespace dfrace::bench
