#include "check/bug_list.hpp"

#include <algorithm>


namespace dfrace::check {

namespace {

std::string normalized_race(const std::string& race) {
  const auto vs = race.find(" vs ");
  if (vs == std::string::npos) return race;
  return race_pair(race.substr(0, vs), race.substr(vs + 4));
}

}  // namespace

std::vector<ReportedBug> bugs_of(const EngineCell& cell) {
  if (!cell.verdict || cell.verdict->clean()) return {};
  if (!cell.bugs.empty()) return cell.bugs;
  const Verdict& v = *cell.verdict;
  ReportedBug b;
  b.line = v.line();
  b.signature = without_numbers(b.line);
  if (v.kind == VerdictKind::kDataRace) b.race = v.detail;
  return {b};
}

std::string bug_key(const ReportedBug& bug) {
  if (!bug.race.empty()) return "data race: " + normalized_race(bug.race);
  return without_numbers(bug.signature);
}

std::vector<RowBug> distinct_bugs(const MatrixRow& row, const std::vector<std::string>& engine_order) {
  std::vector<RowBug> out;
  for (const auto& engine : engine_order) {
    auto it = row.cells.find(engine);
    if (it == row.cells.end()) continue;
    for (const ReportedBug& b : bugs_of(it->second)) {
      const std::string key = bug_key(b);
      auto found = std::find_if(out.begin(), out.end(), [&](const RowBug& r) { return r.key == key; });
      if (found == out.end()) {
        out.push_back({key, {}, {}, std::nullopt, {}});
        found = out.end() - 1;
      }
      // A bare race is printed as its key, so the engines' spellings of one pair are one line.
      const std::string line = !b.race.empty() && b.line == "data race: " + b.race ? key : b.line;
      if (std::find(found->lines.begin(), found->lines.end(), line) == found->lines.end()) found->lines.push_back(line);
      if (std::find(found->engines.begin(), found->engines.end(), engine) == found->engines.end()) {
        found->engines.push_back(engine);
      }
      if (b.program && std::count(found->programs.begin(), found->programs.end(), *b.program) == 0) {
        found->programs.push_back(*b.program);
      }
      // Two counterexamples of one bug: it needs at most what both contain.
      if (b.uses && !found->uses) {
        found->uses = *b.uses;
      } else if (b.uses) {
        std::erase_if(*found->uses, [&](const std::string& u) { return std::count(b.uses->begin(), b.uses->end(), u) == 0; });
      }
    }
  }
  for (RowBug& r : out) {
    // The bare race is said by a line that goes on to what it led to.
    if (std::any_of(r.lines.begin(), r.lines.end(), [&](const std::string& l) { return l.rfind(r.key + " →", 0) == 0; })) {
      std::erase(r.lines, r.key);
    }
    std::stable_sort(r.lines.begin(), r.lines.end(), [](const std::string& a, const std::string& b) {
      return (a.find("→") != std::string::npos) > (b.find("→") != std::string::npos);
    });
  }
  return out;
}

}  // namespace dfrace::check
