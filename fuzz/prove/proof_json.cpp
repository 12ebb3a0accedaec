#include "prove/proof_json.hpp"

namespace dfrace::fuzz {

nlohmann::json to_json(const ProofResult& r) {
  nlohmann::json j{{"executions", r.executions}, {"probes", r.probes}, {"abandoned", r.abandoned},           {"max_depth", r.max_depth},
                   {"complete", r.complete},     {"diverged", r.diverged},       {"model_limit", r.model_limit},
                   {"seconds", r.seconds},       {"verdicts", r.verdicts},       {"final_states", r.final_states},
                   {"directions", r.directions}};
  if (r.counterexample) {
    j["counterexample"] = {{"verdict", r.counterexample->verdict},
                           {"input", r.counterexample->input},
                           {"steps", r.counterexample->steps}};
  }
  return j;
}

ProofResult proof_result_from_json(const nlohmann::json& j) {
  ProofResult r;
  r.executions = j.at("executions").get<std::uint64_t>();
  r.probes = j.at("probes").get<std::uint64_t>();
  r.abandoned = j.at("abandoned").get<std::uint64_t>();
  r.max_depth = j.at("max_depth").get<std::size_t>();
  r.complete = j.at("complete").get<bool>();
  r.diverged = j.at("diverged").get<bool>();
  r.model_limit = j.at("model_limit").get<bool>();
  r.seconds = j.at("seconds").get<double>();
  r.verdicts = j.at("verdicts").get<std::map<std::string, std::uint64_t>>();
  r.final_states = j.at("final_states").get<std::set<std::string>>();
  r.directions = j.at("directions").get<DirectionSet>();
  if (j.contains("counterexample")) {
    const auto& x = j.at("counterexample");
    r.counterexample = Counterexample{x.at("verdict").get<std::string>(),
                                      x.at("input").get<std::vector<std::uint8_t>>(), x.at("steps").get<std::uint64_t>()};
  }
  return r;
}

}  // namespace dfrace::fuzz
