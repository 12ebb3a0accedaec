// The command-line half of the front door's exit-code contract, for every dfrace binary: --help prints and exits
// 0; a malformed flag prints one line naming it and exits 2 (kExitUsage).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>

#include "infra/exit_codes.hpp"

namespace dfrace {

// Returns the exit code `main` should return now, or nullopt when the arguments parsed and the program goes on.
inline std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, const char* program) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: %s (see --help)\n", program, e.what());
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace dfrace
