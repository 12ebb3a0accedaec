// The one result format of every engine (`--json` on stdout), and its strict reader. Documented for users in
// docs/result-schema.md; the version below is the document's.
//
//   {"version": 2, "engine": "relacy", "protocol": "my_protocol", "can_produce": ["failed refills", ...],
//    "verdicts": [ {"recipe": "my_recipe", "verdict": "data race", "detail": "...", "covered": [...],
//                   "programs": [...], "bugs": [{"signature": "...", "line": "...", "race": "A vs B",
//                   "uses": [...], "program": "..."}], ...}, ... ]}
//
// Contract
// - Writers: make_engine_result() wraps the verdict objects (Verdict::to_json() plus any engine-specific keys).
// - Reader: parse_engine_result() accepts exactly one JSON object (surrounding whitespace only) with the keys
//   above of the right types, a version it knows, every verdict naming its recipe once with a known verdict
//   word, and no verdict claiming another engine; behaviour names (`can_produce`, `covered`, a bug's `uses`) from
//   infra/behaviours.hpp, a verdict covering only what its engine declares. Anything else is InvalidArgument with a one-line reason, so
//   `dfrace check` shows a malformed engine output as an error cell, never as a verdict it half-read.
// - Unknown keys are ignored (an engine may add its own figures), so adding a key is not a version change;
//   removing or retyping one is.
#pragma once

#include <absl/status/statusor.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/verdict.hpp"

namespace dfrace {

// Version 2 added `can_produce` (required), and per verdict `covered` and `bugs` (optional).
inline constexpr int kEngineResultVersion = 2;

// One distinct bug of a verdict (an engine that keeps going after a finding lists several; a verdict without
// `bugs` is its own one bug).
struct ReportedBug {
  std::string signature;  // the engine's dedup key: verdict kind and sites, numbers replaced by N
  std::string line;       // as the engine prints it: "data race: A vs B → use after free: X"
  std::string race;       // the race that led to it ("A vs B"), or ""
  std::optional<std::vector<std::string>> uses;  // the behaviours its counterexample contains, when known
  std::string finding;    // a finding file, or ""
  std::optional<ProgramShape> program;  // the size of the program its counterexample runs, when known
};

struct EngineResult {
  std::string engine;    // relacy, fuzz, tsan, asan, native (stress without a sanitizer), prove
  std::string protocol;  // the protocol of every recipe in it
  std::vector<std::string> can_produce;  // the behaviours the engine declares (infra/behaviours.hpp)
  std::vector<Verdict> verdicts;
  std::vector<nlohmann::json> raw;  // each verdict object as printed (engine-specific keys included)
  std::vector<std::vector<ReportedBug>> bugs;  // per verdict, its `bugs` (empty when it lists none)
};

// `verdicts`: an array of verdict objects (each at least Verdict::to_json()). `can_produce` is the engine's
// declaration (declared_behaviours).
nlohmann::json make_engine_result(std::string_view engine, std::string_view protocol, nlohmann::json verdicts);

absl::StatusOr<EngineResult> parse_engine_result(std::string_view text);

}  // namespace dfrace
