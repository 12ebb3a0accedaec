// The two pictures of a run, as self-contained SVG text (svg_writer.hpp draws them; no plotting dependency).
// - latency_svg: the percentile spectrum of each path (x: percentile on a -log10(1-q) axis, y: ns per call, log).
// - designs_svg: the same spectrum for the designs side by side, the floor and the synchronous free, 1 and 2
//   producers.
// - size_sweep_svg: overflow fraction and drained handles per second against the achieved producer rate, one
//   line per SIZE.
#pragma once

#include <string>

#include "suite.hpp"

namespace dfrace::bench {

std::string latency_svg(const SuiteResult& result);
std::string designs_svg(const SuiteResult& result);
std::string size_sweep_svg(const SuiteResult& result);

}  // namespace dfrace::bench
