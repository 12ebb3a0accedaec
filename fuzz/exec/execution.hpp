// What running one schedule returns, and the type-erased entry point for a recipe (registry.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/verdict.hpp"
#include "rt/runtime.hpp"
#include "rt/trace.hpp"
#include "schedule/program.hpp"

namespace dfrace::fuzz {

struct ExecRequest {
  bool trace = false;
  bool feedback = true;
  bool races_fatal = true;  // false: consequence mode (see rt::RunOptions)
  bool final_state = false; // fill ExecResult::final_state
  // The proof's abstract model: zs_free's lock orders nothing (SimPlatform::BackendMutex) and, in a program with no
  // flusher and bounded drain runs, the work item is abstract too (SimPlatform::WorkItem). Its executions are a
  // superset of the exact model's, so a clean search proves the exact model clean too; a finding in it may not be
  // real (the proof then searches the exact model).
  bool abstract_model = false;
};

struct ExecResult {
  rt::Outcome outcome;
  Program program;
  DirectionSet directions = 0;  // which directions of the protocol this execution exercised (the pool observed)
  rt::Trace trace;    // filled when ExecRequest::trace
  // Where the execution left the pool, as one comparable line (ExecRequest::final_state): the path every handle
  // took (deferred, overflowed, drained, flushed), drain runs, buffers allocated and failed refills. Two executions
  // that differ only in the order of independent steps end in the same final state.
  std::string final_state;
  rt::ModelLimit model_limit = rt::ModelLimit::kNone;
  bool abandoned = false;  // the proof mode's explorer cut it short (rt::Runtime::abandoned)
};

using ExecFn = ExecResult (*)(const std::uint8_t* data, std::size_t size, const ExecRequest& request);

}  // namespace dfrace::fuzz
