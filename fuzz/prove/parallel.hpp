// prove_in_parallel(): `--jobs N` — N forked processes each explore shard k/N (the runtime is one per process),
// report progress and their result through a pipe, and the parent merges them. The merged proof is complete only
// when every shard's is; a shard that dies is an incomplete proof, never a silent success.
#pragma once

#include "prove/proof.hpp"

namespace dfrace::fuzz {

ProofResult prove_in_parallel(ExecFn exec, const std::vector<Program>& programs, const ProofOptions& options,
                              unsigned jobs);

}  // namespace dfrace::fuzz
