// Subcommands of dfrace-cli. Each registers its flags on the app and returns the action to run once parsed.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace dfrace::cli {

using Action = std::function<int()>;  // returns an ExitCode

Action add_recipes_command(CLI::App& app);
Action add_check_command(CLI::App& app);
Action add_report_command(CLI::App& app);

}  // namespace dfrace::cli
