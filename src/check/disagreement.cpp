#include "check/disagreement.hpp"

#include <algorithm>
#include <optional>

#include "check/bug_list.hpp"
#include "infra/behaviours.hpp"

namespace dfrace::check {

namespace {

std::string joined(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : sep) + i;
  return s;
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

void add_once(std::vector<std::string>& v, const std::string& x) {
  if (!has(v, x)) v.push_back(x);
}

// What a bug may need: at most what every counterexample of it contains — its `uses` where a finder says, else
// everything that finder's run covered.
std::vector<std::string> may_need(const RowBug& bug, const MatrixRow& row) {
  std::optional<std::vector<std::string>> need = bug.uses;
  for (const auto& e : bug.engines) {
    const EngineCell& cell = row.cells.at(e);
    const auto reports = bugs_of(cell);
    const bool says = std::any_of(reports.begin(), reports.end(),
                                  [&](const ReportedBug& b) { return bug_key(b) == bug.key && b.uses; });
    if (says || !cell.verdict->covered) continue;
    if (!need) {
      need = *cell.verdict->covered;
    } else {
      std::erase_if(*need, [&](const std::string& u) { return !has(*cell.verdict->covered, u); });
    }
  }
  return need.value_or(std::vector<std::string>{});
}

}  // namespace

Judgement judge(const MatrixRow& row, const std::vector<std::string>& engine_order) {
  Judgement j;
  std::vector<std::string> clean;
  bool flagged = false;
  for (const auto& e : engine_order) {
    auto it = row.cells.find(e);
    if (it == row.cells.end() || !it->second.verdict) continue;
    if (it->second.verdict->clean()) clean.push_back(e);
    else flagged = true;
  }
  j.disagree = flagged && !clean.empty();
  if (!j.disagree) return j;
  const std::vector<RowBug> bugs = distinct_bugs(row, engine_order);
  j.explained = true;
  for (const auto& e : clean) {
    const EngineCell& cell = row.cells.at(e);
    CleanEngineNote note{e, {}, {}, {}, {}, !cell.verdict->covered.has_value()};
    for (std::size_t b = 0; b < bugs.size(); ++b) {
      const RowBug& bug = bugs[b];
      bool accounted = false;
      for (const auto& need : may_need(bug, row)) {
        if (note.covered_unknown || has(*cell.verdict->covered, need)) continue;
        add_once(has(cell.can_produce, need) ? note.did_not : note.cannot, need);
        accounted = true;
      }
      if (const auto& ran = cell.verdict->programs; !accounted && ran && !bug.programs.empty() &&
          std::none_of(bug.programs.begin(), bug.programs.end(), [&](const ProgramShape& p) {
            return std::any_of(ran->begin(), ran->end(), [&](const ProgramShape& r) { return p.fits_within(r); });
          })) {
        std::vector<std::string> sizes;
        for (const ProgramShape& p : bug.programs) sizes.push_back(p.describe());
        note.larger_programs.push_back("bug " + std::to_string(b + 1) + " needs " + joined(sizes, " or "));
        accounted = true;
      }
      if (!accounted) note.unexplained_bugs.push_back("bug " + std::to_string(b + 1));
    }
    if (!note.unexplained_bugs.empty()) j.explained = false;
    j.clean_engines.push_back(std::move(note));
  }
  return j;
}

std::string Judgement::text() const {
  if (!disagree) return "";
  std::vector<std::string> parts;
  for (const auto& n : clean_engines) {
    if (!explained) {
      if (n.unexplained_bugs.empty()) continue;
      parts.push_back(n.covered_unknown ? n.engine + " passed it without saying what it covered"
                                        : n.engine + " covered everything " + joined(n.unexplained_bugs, " and ") +
                                              " may need and passed it");
      continue;
    }
    std::string s;
    if (!n.cannot.empty()) s = n.engine + " cannot produce " + joined(n.cannot, " or ");
    if (!n.did_not.empty()) s += (s.empty() ? n.engine : ", and") + std::string(" did not run with ") + joined(n.did_not, " or ");
    if (!n.larger_programs.empty()) {
      s += (s.empty() ? n.engine : ", and") + std::string(" ran only smaller programs: ") + joined(n.larger_programs, "; ");
    }
    parts.push_back(s);
  }
  return (explained ? "explained: " : "CONFLICT: ") + joined(parts, "; ");
}

}  // namespace dfrace::check
