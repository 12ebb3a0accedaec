// The verdict matrix: a row per recipe, a column per engine, the distinct bugs each engine found, and whether the
// engines agree.
//
// Agreement is about *whether* a recipe is flagged: engines that find different symptoms of one bug (a data race
// here, a use after free there) agree that the recipe is broken. A recipe clean in one engine and flagged in
// another is a disagreement: explained when it follows from what the clean engine could not or did not produce
// (check/disagreement.hpp: "relacy cannot produce interrupts"), a CONFLICT otherwise — a finding about the engines
// or about the recipe, never noise.
//
// The bottom line (`dfrace check`'s exit status 1, problems()): a recipe claimed correct is flagged; a recipe
// claimed buggy is passed by every engine (the claim is undemonstrated); engines conflict without an explanation.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/verdict.hpp"
#include "infra/engine_result.hpp"

namespace dfrace::check {

struct EngineCell {
  std::optional<Verdict> verdict;  // nullopt: the engine did not produce one (see error); its `covered` says what
                                   // faults and behaviours the run could produce
  std::string error;               // why there is no verdict (timed out, crashed, not built)
  double seconds = 0;
  std::vector<ReportedBug> bugs;          // the result's `bugs` for this recipe (empty: the verdict is the bug)
  std::vector<std::string> can_produce;   // what the engine declares (infra/behaviours.hpp)
};

enum class Agreement { kAgreeClean, kAgreeFlagged, kExplained, kConflict, kIncomplete };

struct MatrixRow {
  std::string recipe;
  bool claimed_correct = false;
  bool is_mutant = false;
  std::map<std::string, EngineCell> cells;  // by engine name

  Agreement agreement() const;
  std::string agreement_text() const;  // "agree: flagged by fuzz, relacy", "explained: ...", "CONFLICT: ..."
  bool flagged_by_any() const;
  bool passed_by_every_engine() const;  // every engine answered, all clean
  // The claim is not met: claimed correct and flagged, or claimed buggy and passed by every engine (mutants
  // claim nothing).
  bool claim_violated() const;
  bool claim_undemonstrated() const;
};

struct Matrix {
  std::vector<std::string> engines;  // column order
  std::vector<MatrixRow> rows;

  bool claimed_correct_flagged() const;
  bool any_undemonstrated_claim() const;
  bool any_conflict() const;
  bool any_error() const;
  // Exit status 1: claimed_correct_flagged() || any_undemonstrated_claim() || any_conflict().
  bool problems() const;
  std::string summary_line() const;  // the lines under the table

  nlohmann::json to_json() const;
  static Matrix from_json(const nlohmann::json& j);  // throws nlohmann::json::exception on a malformed file
};

// "covered: failed refills, flush (not: weak memory)": what a cell's run covered out of what its engine declares.
std::string covered_text(const EngineCell& c);
// Under a row, in the text and the report: its distinct bugs ("1. <line> [fuzz, relacy]"), then each clean or
// missing cell with what it covered or why it has no verdict.
std::vector<std::string> row_notes(const Matrix& m, const MatrixRow& r);

// The terminal rendering, at most `width` columns: a matrix of one word per cell, then per recipe its distinct
// bugs with the engines that found each, what each clean engine covered, and the disagreement's explanation,
// wrapped at word boundaries (nothing is cut).
std::string render_text(const Matrix& m, std::size_t width = 120);

}  // namespace dfrace::check
