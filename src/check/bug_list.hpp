// The distinct bugs of one recipe across engines, and which engines found each.
//
// Contract
// - bugs_of(): an engine cell's bugs: its result's `bugs` list (the fuzz engine keeps going after a finding), or,
//   when it lists none, its flagged verdict as its one bug; nothing for a clean cell or one without a verdict.
// - bug_key(): what makes two engines' reports the same bug. A bug a data race led to is its race (the site pair
//   in race_pair() order): Relacy and TSan stop at the race, the fuzz executor goes on to what it leads to, and
//   all of them name the race. Anything else is its signature with every number replaced by N.
// - distinct_bugs(): the row's bugs by key, in the order of the first engine column that found each; each
//   remembers every line the engines printed for it (a race and what it led to) and which engines found it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "check/matrix.hpp"
#include "infra/engine_result.hpp"

namespace dfrace::check {

struct RowBug {
  std::string key;
  std::vector<std::string> lines;    // distinct, the most telling (with a consequence, "→") first
  std::vector<std::string> engines;  // the engines that found it, in column order
  // What every counterexample of it contains (infra/behaviours.hpp: the intersection over the engines' reports
  // that say), so what it may need; nullopt when no engine that found it said.
  std::optional<std::vector<std::string>> uses;
  // The sizes of the programs its counterexamples run, where the finders say (the fuzz engine does).
  std::vector<ProgramShape> programs;
};

std::vector<ReportedBug> bugs_of(const EngineCell& cell);
std::string bug_key(const ReportedBug& bug);
std::vector<RowBug> distinct_bugs(const MatrixRow& row, const std::vector<std::string>& engine_order);

}  // namespace dfrace::check
