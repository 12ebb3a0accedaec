// Errors that cross layers end in the front door's exit-code contract (exit_codes.hpp) through absl::Status:
// a layer that finds bad input returns InvalidArgument / NotFound with a one-line, user-facing message; the
// binary's main prints "<program>: <message>" and exits 2 for those, 3 for anything else (our own failure).
#pragma once

#include <absl/status/status.h>

#include <cstdio>
#include <string_view>

#include "infra/exit_codes.hpp"

namespace dfrace {

inline int exit_code_for(const absl::Status& status) {
  if (status.ok()) return kExitClean;
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
      return kExitUsage;
    default:
      return kExitInternal;
  }
}

// Prints the one-line reason and returns the exit code for `status` (which must not be OK).
inline int report_failure(std::string_view program, const absl::Status& status) {
  std::fprintf(stderr, "%.*s: %s%.*s\n", static_cast<int>(program.size()), program.data(),
               exit_code_for(status) == kExitInternal ? "internal error: " : "",
               static_cast<int>(status.message().size()), status.message().data());
  return exit_code_for(status);
}

}  // namespace dfrace
