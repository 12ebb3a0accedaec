#include "infra/engine_result.hpp"

#include <absl/strings/str_cat.h>

#include <set>

#include "infra/quote.hpp"

namespace dfrace {

nlohmann::json make_engine_result(std::string_view engine, std::string_view protocol, nlohmann::json verdicts) {
  return {{"version", kEngineResultVersion},
          {"engine", std::string(engine)},
          {"protocol", std::string(protocol)},
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

// A verdict object: the keys Verdict::to_json() writes, with their types.
absl::Status check_verdict(const nlohmann::json& v, std::size_t i, const std::string& engine) {
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
  if (!j.contains("verdicts")) return bad("no \"verdicts\"");
  if (!j["verdicts"].is_array()) return bad("\"verdicts\" is not a list");
  EngineResult r;
  r.engine = j["engine"].get<std::string>();
  r.protocol = j["protocol"].get<std::string>();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < j["verdicts"].size(); ++i) {
    const nlohmann::json& v = j["verdicts"][i];
    if (absl::Status s = check_verdict(v, i, r.engine); !s.ok()) return s;
    const std::string recipe = v["recipe"].get<std::string>();
    if (!seen.insert(recipe).second) return bad(absl::StrCat("two verdicts for recipe ", quote_escaped(recipe)));
    std::optional<Verdict> verdict = Verdict::from_json(v);
    if (!verdict) return bad(absl::StrCat("verdicts[", i, "] is not a verdict"));
    verdict->engine = r.engine;
    r.verdicts.push_back(*std::move(verdict));
    r.raw.push_back(v);
  }
  return r;
}

}  // namespace dfrace
