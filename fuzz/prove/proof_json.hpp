// ProofResult as JSON: how a shard hands its result to the process that merges them (--jobs, --shard), and the
// core of `dfrace prove --json`.
#pragma once

#include <nlohmann/json.hpp>

#include "prove/proof.hpp"

namespace dfrace::fuzz {

nlohmann::json to_json(const ProofResult& r);
// Throws nlohmann::json::exception on a document that is not a ProofResult.
ProofResult proof_result_from_json(const nlohmann::json& j);

}  // namespace dfrace::fuzz
