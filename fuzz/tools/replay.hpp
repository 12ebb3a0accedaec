// Replay of a saved schedule (finding file or raw libFuzzer input): load, check, run with the trace on, render.
// Shared by dfrace-repro and dfrace-fuzz (which replays each crash it converts).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "exec/execution.hpp"

namespace dfrace::fuzz {

struct LoadedSchedule {
  std::string recipe;
  std::vector<std::uint8_t> input;
  bool from_finding_file = false;
  bool site_table_changed = false;
  bool stop_at_race = false;  // end at the first data race instead of going on to what it leads to
};

// Reads `path`. A finding file names its recipe (`recipe_override`, when given, wins); a raw input needs one.
// nullopt with `why` set when the file is not a usable schedule (exit 2).
std::optional<LoadedSchedule> load_schedule(const std::string& path, const std::string& recipe_override,
                                            std::string& why);

std::optional<std::vector<std::uint8_t>> read_file(const std::string& path);
// A finding file (header + raw bytes) for a raw input of `recipe`.
std::vector<std::uint8_t> finding_for(const std::string& recipe, const std::vector<std::uint8_t>& input);
bool write_file(const std::string& path, const std::vector<std::uint8_t>& bytes);

struct ReplayOptions {
  std::string picture;  // the SVG to draw (Graphviz), next to its .dot; empty: no picture
  bool full = false;    // every step instead of the steps that matter
  std::size_t width = 100;
};

// Runs the schedule with the trace (races reported, the execution going on as hardware would, unless
// stop_at_race) and prints the program, the timeline and the verdict to `out`; draws the execution graph.
// Returns the execution (nullopt: unknown recipe).
std::optional<ExecResult> replay(const LoadedSchedule& s, std::ostream& out, const ReplayOptions& options);

}  // namespace dfrace::fuzz
