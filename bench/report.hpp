// What a run prints and writes: the table (stdout), the JSON document (bench.json) and, via svg_charts.hpp, the
// pictures. Ratios are computed here, once, from the measured figures.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/verdict.hpp"
#include "suite.hpp"

namespace dfrace::bench {

// The per-recipe sanity verdict: a native run cannot prove a recipe correct, but the backend's audit after
// teardown must find every handle freed exactly once; anything else is a finding ("invariant").
Verdict audit_verdict(const RecipeMeasurement& r, std::size_t size);

nlohmann::json to_json(const SuiteResult& result, const std::string& command);
// The designs side by side and their tail attribution, in Markdown (the head of format_table).
std::string format_side_by_side(const SuiteResult& result);
std::string format_table(const SuiteResult& result);

}  // namespace dfrace::bench
