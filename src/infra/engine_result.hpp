// The one result format of every engine (`--json` on stdout), and its strict reader. Documented for users in
// docs/result-schema.md; the version below is the document's.
//
//   {"version": 1, "engine": "relacy", "protocol": "percpu_swap",
//    "verdicts": [ {"recipe": "posted_v2", "verdict": "data race", "detail": "...", ...}, ... ]}
//
// Contract
// - Writers: make_engine_result() wraps the verdict objects (Verdict::to_json() plus any engine-specific keys).
// - Reader: parse_engine_result() accepts exactly one JSON object (surrounding whitespace only) with the keys
//   above of the right types, a version it knows, every verdict naming its recipe once with a known verdict
//   word, and no verdict claiming another engine. Anything else is InvalidArgument with a one-line reason, so
//   `dfrace check` shows a malformed engine output as an error cell, never as a verdict it half-read.
// - Unknown keys are ignored (an engine may add its own figures), so adding a key is not a version change;
//   removing or retyping one is.
#pragma once

#include <absl/status/statusor.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/verdict.hpp"

namespace dfrace {

inline constexpr int kEngineResultVersion = 1;

struct EngineResult {
  std::string engine;    // relacy, fuzz, tsan, asan, native (stress without a sanitizer), prove
  std::string protocol;  // the protocol of every recipe in it
  std::vector<Verdict> verdicts;
  std::vector<nlohmann::json> raw;  // each verdict object as printed (engine-specific keys included)
};

// `verdicts`: an array of verdict objects (each at least Verdict::to_json()).
nlohmann::json make_engine_result(std::string_view engine, std::string_view protocol, nlohmann::json verdicts);

absl::StatusOr<EngineResult> parse_engine_result(std::string_view text);

}  // namespace dfrace
