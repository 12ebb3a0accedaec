#include "check/matrix.hpp"

#include <algorithm>
#include <cstdio>

namespace dfrace::check {

bool MatrixRow::flagged_by_any() const {
  return std::any_of(cells.begin(), cells.end(),
                     [](const auto& kv) { return kv.second.verdict && !kv.second.verdict->clean(); });
}

namespace {
constexpr const char* kRealThreadsEngine = "tsan";
bool models_reordering(const std::string& engine) {
  return engine == "relacy" || engine == "fuzz" || engine == "prove";
}
}  // namespace

bool MatrixRow::x86_limit() const {
  auto real = cells.find(kRealThreadsEngine);
  if (real == cells.end() || !real->second.verdict || !real->second.verdict->clean()) return false;
  bool flagged_by_a_model = false;
  for (const auto& [engine, cell] : cells) {
    if (engine == kRealThreadsEngine) continue;
    if (!cell.verdict || cell.verdict->clean()) return false;  // another engine clean (or silent): not this case
    flagged_by_a_model |= models_reordering(engine);
  }
  return flagged_by_a_model;
}

Agreement MatrixRow::agreement() const {
  if (x86_limit()) return Agreement::kAgreeFlagged;
  int clean = 0, flagged = 0, missing = 0;
  for (const auto& [engine, cell] : cells) {
    if (!cell.verdict) ++missing;
    else if (cell.verdict->clean()) ++clean;
    else ++flagged;
  }
  if (clean > 0 && flagged > 0) return Agreement::kDisagree;
  if (missing > 0) return Agreement::kIncomplete;
  return flagged > 0 ? Agreement::kAgreeFlagged : Agreement::kAgreeClean;
}

std::string MatrixRow::agreement_text() const {
  std::string flagged, clean, missing;
  auto add = [](std::string& list, const std::string& e) { list += (list.empty() ? "" : ", ") + e; };
  for (const auto& [engine, cell] : cells) {
    if (!cell.verdict) add(missing, engine);
    else if (cell.verdict->clean()) add(clean, engine);
    else add(flagged, engine);
  }
  switch (agreement()) {
    case Agreement::kAgreeClean: return "agree: clean";
    case Agreement::kAgreeFlagged:
      if (x86_limit()) {
        return "agree: flagged by " + flagged + "; " + clean +
               " clean: the x86 limit (real threads on a TSO machine never show this reordering, and the "
               "weak-memory emulation did not reach it in this budget)";
      }
      return "agree: flagged by " + flagged;
    case Agreement::kDisagree: return "DISAGREE: flagged by " + flagged + ", clean in " + clean;
    case Agreement::kIncomplete: return "incomplete: no verdict from " + missing;
  }
  return "";
}

bool Matrix::claimed_correct_flagged() const {
  return std::any_of(rows.begin(), rows.end(), [](const MatrixRow& r) { return r.claimed_correct && r.flagged_by_any(); });
}

bool Matrix::any_disagreement() const {
  return std::any_of(rows.begin(), rows.end(), [](const MatrixRow& r) { return r.agreement() == Agreement::kDisagree; });
}

bool Matrix::any_error() const {
  for (const auto& r : rows)
    for (const auto& [e, c] : r.cells)
      if (!c.verdict) return true;
  return false;
}

std::string Matrix::summary_line() const {
  int disagree = 0, incomplete = 0;
  std::string bad_claims;
  for (const auto& r : rows) {
    disagree += r.agreement() == Agreement::kDisagree;
    incomplete += r.agreement() == Agreement::kIncomplete;
    if (r.claimed_correct && r.flagged_by_any()) bad_claims += (bad_claims.empty() ? "" : ", ") + r.recipe;
  }
  std::string s;
  if (disagree == 0 && incomplete == 0) s = "The engines agree on every recipe.";
  else if (disagree > 0) s = "The engines DISAGREE on " + std::to_string(disagree) + " recipe(s): a finding, see the report.";
  else s = "The engines agree where all answered; " + std::to_string(incomplete) + " recipe(s) lack a verdict.";
  if (!bad_claims.empty()) s += " A recipe claimed correct is flagged: " + bad_claims + ".";
  else s += " No recipe claimed correct is flagged.";
  return s;
}

nlohmann::json Matrix::to_json() const {
  nlohmann::json rows_json = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json cells = nlohmann::json::object();
    for (const auto& [engine, cell] : r.cells) {
      nlohmann::json c = {{"seconds", cell.seconds}};
      if (cell.verdict) c["verdict"] = cell.verdict->to_json();
      if (!cell.error.empty()) c["error"] = cell.error;
      cells[engine] = c;
    }
    rows_json.push_back({{"recipe", r.recipe},
                         {"claimed_correct", r.claimed_correct},
                         {"mutant", r.is_mutant},
                         {"agreement", r.agreement_text()},
                         {"x86_limit", r.x86_limit()},
                         {"engines", cells}});
  }
  return {{"engines", engines},
          {"rows", rows_json},
          {"summary", summary_line()},
          {"claimed_correct_flagged", claimed_correct_flagged()},
          {"disagreement", any_disagreement()}};
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
      if (cj.contains("verdict")) c.verdict = Verdict::from_json(cj["verdict"]);
      r.cells[engine] = c;
    }
    m.rows.push_back(r);
  }
  return m;
}

namespace {

std::string shorten(const std::string& s, std::size_t width) {
  if (s.size() <= width) return s;
  return s.substr(0, width - 3) + "...";
}

std::string cell_text(const EngineCell* c) {
  if (c == nullptr) return "-";
  if (!c->verdict) return "no verdict: " + c->error;
  return c->verdict->line();
}

}  // namespace

std::string render_text(const Matrix& m) {
  constexpr std::size_t kRecipeWidth = 34, kCellWidth = 44;
  std::string out;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%-*s %-7s", static_cast<int>(kRecipeWidth), "recipe", "claim");
  out += buf;
  for (const auto& e : m.engines) {
    std::snprintf(buf, sizeof buf, " %-*s", static_cast<int>(kCellWidth), e.c_str());
    out += buf;
  }
  out += " engines\n";
  out += std::string(kRecipeWidth + 8 + (kCellWidth + 1) * m.engines.size() + 8, '-') + "\n";
  for (const auto& r : m.rows) {
    std::snprintf(buf, sizeof buf, "%-*s %-7s", static_cast<int>(kRecipeWidth), shorten(r.recipe, kRecipeWidth).c_str(),
                  r.claimed_correct ? "correct" : r.is_mutant ? "mutant" : "buggy");
    out += buf;
    for (const auto& e : m.engines) {
      auto it = r.cells.find(e);
      std::snprintf(buf, sizeof buf, " %-*s", static_cast<int>(kCellWidth),
                    shorten(cell_text(it == r.cells.end() ? nullptr : &it->second), kCellWidth).c_str());
      out += buf;
    }
    out += " " + r.agreement_text() + "\n";
  }
  out += "\n" + m.summary_line() + "\n";
  return out;
}

}  // namespace dfrace::check
