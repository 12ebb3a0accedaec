// dfrace-cli: the C++ side of ./dfrace. The shell script installs and builds; everything else happens here.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "infra/exit_codes.hpp"
#include "infra/parse_command_line.hpp"

int main(int argc, char** argv) {
  CLI::App app{"dfrace: hunts memory-ordering races in per-CPU deferred-free pools", "dfrace"};
  app.require_subcommand(1);
  const std::vector<std::pair<std::string, dfrace::cli::Action>> commands = {
      {"recipes", dfrace::cli::add_recipes_command(app)},
      {"check", dfrace::cli::add_check_command(app)},
      {"report", dfrace::cli::add_report_command(app)},
  };
  if (auto exit_code = dfrace::parse_command_line(app, argc, argv, "dfrace")) return *exit_code;
  try {
    for (const auto& [name, action] : commands) {
      if (app.got_subcommand(name)) return action();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dfrace: internal error: %s\n", e.what());
    return dfrace::kExitInternal;
  }
  return dfrace::kExitUsage;
}
