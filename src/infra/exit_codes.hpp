// The front door's exit-code contract, shared by every dfrace binary.
#pragma once

namespace dfrace {

enum ExitCode : int {
  kExitClean = 0,     // nothing found
  kExitFinding = 1,   // an engine found a race, an invariant violation, a crash
  kExitUsage = 2,     // bad usage or bad input, with a one-line reason on stderr
  kExitInternal = 3,  // dfrace itself failed
};

}  // namespace dfrace
