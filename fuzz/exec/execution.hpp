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
};

struct ExecResult {
  rt::Outcome outcome;
  Program program;
  DirectionSet directions = 0;  // which directions of the protocol this execution exercised (the pool observed)
  rt::Trace trace;    // filled when ExecRequest::trace
};

using ExecFn = ExecResult (*)(const std::uint8_t* data, std::size_t size, const ExecRequest& request);

}  // namespace dfrace::fuzz
