#include "core/verdict.hpp"

#include <algorithm>
#include <cctype>

namespace dfrace {

Coverage Coverage::of(DirectionSet observed, const std::vector<std::string>& names) {
  Coverage c;
  for (std::size_t i = 0; i < names.size() && i < 32; ++i) {
    if (observed & (DirectionSet{1} << i)) c.exercised.push_back(names[i]);
  }
  return c;
}

void Coverage::merge(const Coverage& other) {
  for (const auto& d : other.exercised) {
    if (std::find(exercised.begin(), exercised.end(), d) == exercised.end()) exercised.push_back(d);
  }
}

std::string verdict_word(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::kClean: return "clean";
    case VerdictKind::kDataRace: return "data race";
    case VerdictKind::kInvariant: return "invariant";
    case VerdictKind::kCrash: return "crash";
    case VerdictKind::kUseAfterFree: return "use after free";
  }
  return "?";
}

std::optional<VerdictKind> parse_verdict_word(const std::string& word) {
  for (VerdictKind k : {VerdictKind::kClean, VerdictKind::kDataRace, VerdictKind::kInvariant, VerdictKind::kCrash,
                        VerdictKind::kUseAfterFree}) {
    if (verdict_word(k) == word) return k;
  }
  return std::nullopt;
}

std::string without_numbers(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      while (i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) ++i;
      out += 'N';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string race_pair(const std::string& a, const std::string& b) {
  return std::min(a, b) + " vs " + std::max(a, b);
}

std::string Verdict::line() const {
  if (kind == VerdictKind::kClean) return detail.empty() ? "clean" : "clean (" + detail + ")";
  return verdict_word(kind) + ": " + detail;
}

nlohmann::json Verdict::to_json() const {
  nlohmann::json j = {{"engine", engine}, {"recipe", recipe},     {"verdict", verdict_word(kind)},
                      {"detail", detail}, {"line", line()},       {"artifacts", artifacts},
                      {"replay", replay}};
  if (coverage) j["exercised"] = coverage->describe();
  if (covered) j["covered"] = *covered;
  if (programs) {
    j["programs"] = nlohmann::json::array();
    for (const ProgramShape& p : *programs) j["programs"].push_back(p.to_json());
  }
  return j;
}

std::optional<Verdict> Verdict::from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("verdict") || !j["verdict"].is_string()) return std::nullopt;
  auto kind = parse_verdict_word(j["verdict"].get<std::string>());
  if (!kind) return std::nullopt;
  Verdict v;
  v.kind = *kind;
  v.engine = j.value("engine", "");
  v.recipe = j.value("recipe", "");
  v.detail = j.value("detail", "");
  v.replay = j.value("replay", "");
  if (j.contains("artifacts") && j["artifacts"].is_array()) {
    for (auto& a : j["artifacts"]) if (a.is_string()) v.artifacts.push_back(a.get<std::string>());
  }
  if (j.contains("exercised") && j["exercised"].is_array()) {
    Coverage c;
    for (auto& e : j["exercised"]) {
      if (e.is_string()) c.exercised.push_back(e.get<std::string>());
    }
    v.coverage = c;
  }
  if (j.contains("covered") && j["covered"].is_array()) {
    v.covered.emplace();
    for (auto& e : j["covered"]) {
      if (e.is_string()) v.covered->push_back(e.get<std::string>());
    }
  }
  if (j.contains("programs") && j["programs"].is_array()) {
    v.programs.emplace();
    std::string why;
    for (auto& e : j["programs"]) {
      if (auto p = ProgramShape::from_json(e, why)) v.programs->push_back(*p);
    }
  }
  return v;
}

}  // namespace dfrace
