// The verdict matrix: a row per recipe, a column per engine, and whether the engines agree.
//
// Agreement is about *whether* a recipe is flagged: engines that find different symptoms of one bug (a data race
// here, a use after free there) agree that the recipe is broken. A recipe clean in one engine and flagged in
// another is a disagreement, shown as such: a finding about the engines or about the recipe, never noise.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/verdict.hpp"

namespace dfrace::check {

struct EngineCell {
  std::optional<Verdict> verdict;  // nullopt: the engine did not produce one (see error)
  std::string error;               // why there is no verdict (timed out, crashed, not built)
  double seconds = 0;
};

enum class Agreement { kAgreeClean, kAgreeFlagged, kDisagree, kIncomplete };

struct MatrixRow {
  std::string recipe;
  bool claimed_correct = false;
  bool is_mutant = false;
  std::map<std::string, EngineCell> cells;  // by engine name

  // TSan (real threads on x86-64, which is TSO) passes what an engine modelling reordering flags: the hardware's
  // limit, not a disagreement about the code. Counted as "agree: flagged", and the text says so.
  bool x86_limit() const;
  Agreement agreement() const;
  std::string agreement_text() const;  // "agree: flagged by relacy, fuzz, tsan", "DISAGREE: ..."
  bool flagged_by_any() const;
};

struct Matrix {
  std::vector<std::string> engines;  // column order
  std::vector<MatrixRow> rows;

  bool claimed_correct_flagged() const;
  bool any_disagreement() const;
  bool any_error() const;
  std::string summary_line() const;  // the one line under the table

  nlohmann::json to_json() const;
  static Matrix from_json(const nlohmann::json& j);  // throws nlohmann::json::exception on a malformed file
};

// The terminal rendering: fixed-width columns, long verdicts shortened (the report has them whole).
std::string render_text(const Matrix& m);

}  // namespace dfrace::check
