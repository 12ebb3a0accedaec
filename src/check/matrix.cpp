#include "check/matrix.hpp"

#include <algorithm>
#include <cstdio>

#include "check/bug_list.hpp"
#include "check/disagreement.hpp"
#include "core/wrap.hpp"

namespace dfrace::check {

namespace {

std::vector<std::string> engines_of(const MatrixRow& r) {
  std::vector<std::string> names;
  for (const auto& [engine, cell] : r.cells) names.push_back(engine);
  return names;
}

std::string joined(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : sep) + i;
  return s;
}

const char* claim_word(const MatrixRow& r) { return r.claimed_correct ? "correct" : r.is_mutant ? "mutant" : "buggy"; }

}  // namespace

bool MatrixRow::flagged_by_any() const {
  return std::any_of(cells.begin(), cells.end(),
                     [](const auto& kv) { return kv.second.verdict && !kv.second.verdict->clean(); });
}

bool MatrixRow::passed_by_every_engine() const {
  return !cells.empty() && std::all_of(cells.begin(), cells.end(), [](const auto& kv) {
    return kv.second.verdict && kv.second.verdict->clean();
  });
}

bool MatrixRow::claim_violated() const { return claimed_correct && flagged_by_any(); }
bool MatrixRow::claim_undemonstrated() const { return !claimed_correct && !is_mutant && passed_by_every_engine(); }

Agreement MatrixRow::agreement() const {
  const Judgement j = judge(*this, engines_of(*this));
  if (j.disagree && !j.explained) return Agreement::kConflict;
  const bool missing = std::any_of(cells.begin(), cells.end(), [](const auto& kv) { return !kv.second.verdict; });
  if (missing) return Agreement::kIncomplete;
  if (j.disagree) return Agreement::kExplained;
  return flagged_by_any() ? Agreement::kAgreeFlagged : Agreement::kAgreeClean;
}

std::string MatrixRow::agreement_text() const {
  std::vector<std::string> flagged, clean, missing;
  for (const auto& [engine, cell] : cells) {
    if (!cell.verdict) missing.push_back(engine);
    else if (cell.verdict->clean()) clean.push_back(engine);
    else flagged.push_back(engine);
  }
  const Judgement j = judge(*this, engines_of(*this));
  switch (agreement()) {
    case Agreement::kAgreeClean: return "agree: clean";
    case Agreement::kAgreeFlagged: return "agree: flagged by " + joined(flagged);
    case Agreement::kExplained:
      return "flagged by " + joined(flagged) + ", clean in " + joined(clean) + "; " + j.text();
    case Agreement::kConflict:
      return "flagged by " + joined(flagged) + ", clean in " + joined(clean) + "; " + j.text();
    case Agreement::kIncomplete:
      return "incomplete: no verdict from " + joined(missing) + (j.disagree ? "; " + j.text() : "");
  }
  return "";
}

bool Matrix::claimed_correct_flagged() const {
  return std::any_of(rows.begin(), rows.end(), [](const MatrixRow& r) { return r.claim_violated(); });
}

bool Matrix::any_undemonstrated_claim() const {
  return std::any_of(rows.begin(), rows.end(), [](const MatrixRow& r) { return r.claim_undemonstrated(); });
}

bool Matrix::any_conflict() const {
  return std::any_of(rows.begin(), rows.end(), [](const MatrixRow& r) { return r.agreement() == Agreement::kConflict; });
}

bool Matrix::any_error() const {
  for (const auto& r : rows)
    for (const auto& [e, c] : r.cells)
      if (!c.verdict) return true;
  return false;
}

bool Matrix::problems() const { return claimed_correct_flagged() || any_undemonstrated_claim() || any_conflict(); }

std::string Matrix::summary_line() const {
  std::vector<std::string> conflicts, incomplete, violated, undemonstrated;
  int explained = 0;
  for (const auto& r : rows) {
    const Agreement a = r.agreement();
    if (a == Agreement::kConflict) conflicts.push_back(r.recipe);
    if (a == Agreement::kIncomplete) incomplete.push_back(r.recipe);
    explained += a == Agreement::kExplained;
    if (r.claim_violated()) violated.push_back(r.recipe);
    if (r.claim_undemonstrated()) undemonstrated.push_back(r.recipe);
  }
  std::string s;
  if (!conflicts.empty()) {
    s = "The engines CONFLICT, unexplained by what each can produce, on: " + joined(conflicts) + ".";
  } else {
    s = "The engines agree on every recipe";
    if (explained > 0) s += " or disagree only where one could not or did not produce what a bug needs (" + std::to_string(explained) + ")";
    s += ".";
  }
  if (!incomplete.empty()) s += " No verdict from every engine for: " + joined(incomplete) + ".";
  s += violated.empty() ? " No recipe claimed correct is flagged." : " Claimed correct but flagged: " + joined(violated) + ".";
  if (!undemonstrated.empty()) s += " Claimed buggy but passed by every engine (undemonstrated): " + joined(undemonstrated) + ".";
  return s;
}

nlohmann::json Matrix::to_json() const {
  nlohmann::json rows_json = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json cells = nlohmann::json::object();
    for (const auto& [engine, cell] : r.cells) {
      nlohmann::json c = {{"seconds", cell.seconds}, {"can_produce", cell.can_produce}};
      if (cell.verdict) c["verdict"] = cell.verdict->to_json();
      if (!cell.error.empty()) c["error"] = cell.error;
      if (!cell.bugs.empty()) {
        c["bugs"] = nlohmann::json::array();
        for (const auto& b : cell.bugs) {
          nlohmann::json bj = {{"signature", b.signature}, {"line", b.line}, {"race", b.race}, {"finding", b.finding}};
          if (b.uses) bj["uses"] = *b.uses;
          if (b.program) bj["program"] = b.program->to_json();
          c["bugs"].push_back(bj);
        }
      }
      cells[engine] = c;
    }
    nlohmann::json bugs = nlohmann::json::array();
    for (const auto& b : distinct_bugs(r, engines)) {
      nlohmann::json bj = {{"bug", b.key}, {"lines", b.lines}, {"found_by", b.engines}};
      if (b.uses) bj["uses"] = *b.uses;
      for (const ProgramShape& p : b.programs) bj["programs"].push_back(p.to_json());
      bugs.push_back(bj);
    }
    const Agreement a = r.agreement();
    rows_json.push_back({{"recipe", r.recipe},
                         {"claimed_correct", r.claimed_correct},
                         {"mutant", r.is_mutant},
                         {"agreement", r.agreement_text()},
                         {"conflict", a == Agreement::kConflict},
                         {"explained_disagreement", a == Agreement::kExplained},
                         {"claim_violated", r.claim_violated()},
                         {"claim_undemonstrated", r.claim_undemonstrated()},
                         {"bugs", bugs},
                         {"engines", cells}});
  }
  return {{"engines", engines},
          {"rows", rows_json},
          {"summary", summary_line()},
          {"claimed_correct_flagged", claimed_correct_flagged()},
          {"undemonstrated_claim", any_undemonstrated_claim()},
          {"conflict", any_conflict()}};
}

Matrix Matrix::from_json(const nlohmann::json& j) {
  Matrix m;
  m.engines = j.at("engines").get<std::vector<std::string>>();
  for (const auto& rj : j.at("rows")) {
    MatrixRow r;
    r.recipe = rj.at("recipe").get<std::string>();
    r.claimed_correct = rj.at("claimed_correct").get<bool>();
    r.is_mutant = rj.value("mutant", false);
    for (const auto& [engine, cj] : rj.at("engines").items()) {
      EngineCell c;
      c.seconds = cj.value("seconds", 0.0);
      c.error = cj.value("error", "");
      c.can_produce = cj.value("can_produce", std::vector<std::string>{});
      if (cj.contains("verdict")) c.verdict = Verdict::from_json(cj["verdict"]);
      for (const auto& bj : cj.value("bugs", nlohmann::json::array())) {
        ReportedBug b{bj.at("signature").get<std::string>(), bj.at("line").get<std::string>(), bj.value("race", ""),
                      std::nullopt, bj.value("finding", "")};
        if (bj.contains("uses")) b.uses = bj["uses"].get<std::vector<std::string>>();
        if (std::string why; bj.contains("program")) b.program = ProgramShape::from_json(bj["program"], why);
        c.bugs.push_back(b);
      }
      r.cells[engine] = c;
    }
    m.rows.push_back(r);
  }
  return m;
}

std::string covered_text(const EngineCell& c) {
  if (!c.verdict || !c.verdict->covered) return "covered: not reported";
  const auto& cov = *c.verdict->covered;
  std::vector<std::string> not_covered;
  for (const auto& b : c.can_produce) {
    if (std::find(cov.begin(), cov.end(), b) == cov.end()) not_covered.push_back(b);
  }
  std::string s = "covered: " + (cov.empty() ? std::string("none of the faults") : joined(cov));
  if (!not_covered.empty()) s += " (not: " + joined(not_covered) + ")";
  return s;
}

std::vector<std::string> row_notes(const Matrix& m, const MatrixRow& r) {
  std::vector<std::string> notes;
  const auto bugs = distinct_bugs(r, m.engines);
  for (std::size_t i = 0; i < bugs.size(); ++i) {
    notes.push_back(std::to_string(i + 1) + ". " + joined(bugs[i].lines, "; ") + " [" + joined(bugs[i].engines) + "]");
  }
  for (const auto& e : m.engines) {
    auto it = r.cells.find(e);
    if (it == r.cells.end()) continue;
    const EngineCell& c = it->second;
    if (!c.verdict) notes.push_back(e + ": no verdict: " + c.error);
    else if (c.verdict->clean()) notes.push_back(e + ": " + c.verdict->line() + "; " + covered_text(c));
  }
  return notes;
}

std::string render_text(const Matrix& m, std::size_t width) {
  std::size_t recipe_width = 6;
  for (const auto& r : m.rows) recipe_width = std::max(recipe_width, r.recipe.size());
  recipe_width = std::min<std::size_t>(recipe_width, 44);
  std::size_t cell_width = 7;  // "flagged"
  for (const auto& e : m.engines) cell_width = std::max(cell_width, e.size());
  auto pad = [](std::string s, std::size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); };
  std::string out = pad("recipe", recipe_width) + " " + pad("claim", 7);
  for (const auto& e : m.engines) out += " " + pad(e, cell_width);
  out += " engines\n";
  out += std::string(std::min(width, recipe_width + 8 + (cell_width + 1) * m.engines.size() + 11), '-') + "\n";
  static const char* kAgreementWord[] = {"agree", "agree", "explained", "CONFLICT", "incomplete"};
  for (const auto& r : m.rows) {
    std::string line = pad(r.recipe, recipe_width) + " " + pad(claim_word(r), 7);
    for (const auto& e : m.engines) {
      auto it = r.cells.find(e);
      const char* word = it == r.cells.end() ? "-" : !it->second.verdict ? "error" : it->second.verdict->clean() ? "clean" : "flagged";
      line += " " + pad(word, cell_width);
    }
    line += " " + std::string(kAgreementWord[static_cast<int>(r.agreement())]);
    if (r.claim_violated() || r.claim_undemonstrated()) line += r.claim_violated() ? " (claim violated)" : " (claim undemonstrated)";
    out += (line.size() <= width ? line : wrap(line, width, recipe_width + 9)) + "\n";  // wrap() folds the padding
  }
  for (const auto& r : m.rows) {
    out += "\n" + wrap(r.recipe + " (claimed " + claim_word(r) + "): " + r.agreement_text(), width, 4) + "\n";
    for (const auto& note : row_notes(m, r)) out += "  " + wrap(note, width, 5) + "\n";
  }
  out += "\n" + wrap(m.summary_line(), width, 0) + "\n";
  return out;
}

}  // namespace dfrace::check
