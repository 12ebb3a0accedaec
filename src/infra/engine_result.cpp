#include "infra/engine_result.hpp"

#include <absl/strings/str_cat.h>

#include <algorithm>
#include <set>

#include "infra/behaviours.hpp"
#include "infra/quote.hpp"

namespace dfrace {

nlohmann::json make_engine_result(std::string_view engine, std::string_view protocol, nlohmann::json verdicts) {
  return {{"version", kEngineResultVersion},
          {"engine", std::string(engine)},
          {"protocol", std::string(protocol)},
          {"can_produce", declared_behaviours(engine)},
          {"verdicts", std::move(verdicts)}};
}

namespace {

absl::Status bad(const std::string& why) { return absl::InvalidArgumentError(absl::StrCat("engine result: ", why)); }

bool is_string_array(const nlohmann::json& j) {
  if (!j.is_array()) return false;
  for (const auto& e : j) {
    if (!e.is_string()) return false;
  }
  return true;
}

// A list of behaviour names (infra/behaviours.hpp), each within `allowed` when given.
absl::Status check_behaviours(const nlohmann::json& j, const std::string& where,
                              const std::vector<std::string>* allowed) {
  if (!is_string_array(j)) return bad(absl::StrCat(where, " is not a list of strings"));
  for (const auto& b : j) {
    const std::string name = b.get<std::string>();
    if (!is_behaviour(name)) return bad(absl::StrCat(where, " names ", quote_escaped(name), ", not a behaviour"));
    if (allowed && std::find(allowed->begin(), allowed->end(), name) == allowed->end()) {
      return bad(absl::StrCat(where, " names ", quote_escaped(name), ", which the engine does not declare"));
    }
  }
  return absl::OkStatus();
}

absl::Status check_bugs(const nlohmann::json& bugs, const std::string& where) {
  if (!bugs.is_array()) return bad(absl::StrCat(where, " is not a list"));
  for (std::size_t i = 0; i < bugs.size(); ++i) {
    const nlohmann::json& b = bugs[i];
    const std::string at = absl::StrCat(where, "[", i, "]");
    if (!b.is_object()) return bad(absl::StrCat(at, " is not an object"));
    for (const char* key : {"signature", "line"}) {
      if (!b.contains(key) || !b[key].is_string() || b[key].get<std::string>().empty()) {
        return bad(absl::StrCat(at, ".", key, " is not a non-empty string"));
      }
    }
    for (const char* key : {"race", "finding"}) {
      if (b.contains(key) && !b[key].is_string()) return bad(absl::StrCat(at, ".", key, " is not a string"));
    }
    if (b.contains("uses")) {
      if (absl::Status s = check_behaviours(b["uses"], at + ".uses", nullptr); !s.ok()) return s;
    }
    if (std::string why; b.contains("program") && !ProgramShape::from_json(b["program"], why)) {
      return bad(absl::StrCat(at, ".program ", why));
    }
  }
  return absl::OkStatus();
}

ReportedBug bug_of(const nlohmann::json& b) {
  ReportedBug r{b["signature"].get<std::string>(), b["line"].get<std::string>(), b.value("race", ""), std::nullopt,
                b.value("finding", "")};
  if (b.contains("uses")) r.uses = b["uses"].get<std::vector<std::string>>();
  if (std::string why; b.contains("program")) r.program = ProgramShape::from_json(b["program"], why);
  return r;
}

// A verdict object: the keys Verdict::to_json() writes, with their types.
absl::Status check_verdict(const nlohmann::json& v, std::size_t i, const std::string& engine,
                           const std::vector<std::string>& can_produce) {
  const std::string where = absl::StrCat("verdicts[", i, "]");
  if (!v.is_object()) return bad(absl::StrCat(where, " is not an object"));
  for (const char* key : {"recipe", "verdict", "detail"}) {
    if (!v.contains(key)) return bad(absl::StrCat(where, " has no \"", key, "\""));
    if (!v[key].is_string()) return bad(absl::StrCat(where, ".", key, " is not a string"));
  }
  if (v["recipe"].get<std::string>().empty()) return bad(absl::StrCat(where, ".recipe is empty"));
  if (!parse_verdict_word(v["verdict"].get<std::string>())) {
    return bad(absl::StrCat(where, ".verdict ", quote_escaped(v["verdict"].get<std::string>()),
                            " is not a verdict word (clean, data race, invariant, crash, use after free)"));
  }
  if (v.contains("engine") && (!v["engine"].is_string() || v["engine"].get<std::string>() != engine)) {
    return bad(absl::StrCat(where, ".engine does not match the result's engine ", quote_escaped(engine)));
  }
  for (const char* key : {"artifacts", "exercised"}) {
    if (v.contains(key) && !is_string_array(v[key])) return bad(absl::StrCat(where, ".", key, " is not a list of strings"));
  }
  for (const char* key : {"replay", "line"}) {
    if (v.contains(key) && !v[key].is_string()) return bad(absl::StrCat(where, ".", key, " is not a string"));
  }
  if (v.contains("covered")) {
    if (absl::Status s = check_behaviours(v["covered"], where + ".covered", &can_produce); !s.ok()) return s;
  }
  if (v.contains("bugs")) {
    if (absl::Status s = check_bugs(v["bugs"], where + ".bugs"); !s.ok()) return s;
  }
  if (v.contains("programs")) {
    if (!v["programs"].is_array()) return bad(absl::StrCat(where, ".programs is not a list"));
    for (std::size_t k = 0; k < v["programs"].size(); ++k) {
      if (std::string why; !ProgramShape::from_json(v["programs"][k], why)) {
        return bad(absl::StrCat(where, ".programs[", k, "] ", why));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<EngineResult> parse_engine_result(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return bad("empty (the engine printed nothing on stdout)");
  const nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return bad(absl::StrCat("not one JSON document (starts with ",
                            quote_escaped(text.substr(first, std::min<std::size_t>(40, text.size() - first))), ")"));
  }
  if (!j.is_object()) return bad("not a JSON object");
  if (!j.contains("version")) return bad("no \"version\" (an engine older than the result schema?)");
  if (!j["version"].is_number_integer()) return bad("\"version\" is not an integer");
  if (j["version"].get<long long>() != kEngineResultVersion) {
    return bad(absl::StrCat("version ", j["version"].get<long long>(), " (this dfrace reads version ",
                            kEngineResultVersion, ")"));
  }
  for (const char* key : {"engine", "protocol"}) {
    if (!j.contains(key)) return bad(absl::StrCat("no \"", key, "\""));
    if (!j[key].is_string() || j[key].get<std::string>().empty()) {
      return bad(absl::StrCat("\"", key, "\" is not a non-empty string"));
    }
  }
  if (!j.contains("can_produce")) return bad("no \"can_produce\" (the behaviours the engine declares)");
  if (absl::Status s = check_behaviours(j["can_produce"], "\"can_produce\"", nullptr); !s.ok()) return s;
  if (!j.contains("verdicts")) return bad("no \"verdicts\"");
  if (!j["verdicts"].is_array()) return bad("\"verdicts\" is not a list");
  EngineResult r;
  r.engine = j["engine"].get<std::string>();
  r.protocol = j["protocol"].get<std::string>();
  r.can_produce = j["can_produce"].get<std::vector<std::string>>();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < j["verdicts"].size(); ++i) {
    const nlohmann::json& v = j["verdicts"][i];
    if (absl::Status s = check_verdict(v, i, r.engine, r.can_produce); !s.ok()) return s;
    const std::string recipe = v["recipe"].get<std::string>();
    if (!seen.insert(recipe).second) return bad(absl::StrCat("two verdicts for recipe ", quote_escaped(recipe)));
    std::optional<Verdict> verdict = Verdict::from_json(v);
    if (!verdict) return bad(absl::StrCat("verdicts[", i, "] is not a verdict"));
    verdict->engine = r.engine;
    r.verdicts.push_back(*std::move(verdict));
    r.raw.push_back(v);
    r.bugs.emplace_back();
    if (v.contains("bugs")) {
      for (const auto& b : v["bugs"]) r.bugs.back().push_back(bug_of(b));
    }
  }
  return r;
}

}  // namespace dfrace
