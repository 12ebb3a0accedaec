// What a shard of `dfrace check` leaves for the merge, and the merge that rebuilds the one matrix from it.
//
// A CI matrix runs `dfrace check --shard K/N --results DIR` on N machines; `dfrace check --merge DIR...` then
// produces the one report and exit status. Nothing is judged twice: each shard saves, per engine run, the run as
// check saw it (which engine, which recipes, how it ended, its standard output: the engine result document, byte
// for byte), and the merge hands every saved run to the same fill_cells() a live run uses, then the same matrix
// rules, report and exit status.
//
// Contract
// - select_shard(): recipe i of the list belongs to shard i mod N (0-based K, as `prove --shard`), so shards stay
//   balanced between claimed-correct recipes, claimed-buggy ones and mutants.
// - save_manifest()/save_run(): DIR/shard.json (K/N, the recipes with their position in the whole list, the
//   engines) and DIR/runs/<engine>-<n>.json per engine run.
// - load_shards(): reads every DIR given; InvalidArgument (exit 2) with a one-line reason for a directory that is
//   not a shard's, a malformed file, two shards disagreeing on N or on the engines, a shard given twice. Shards
//   missing from 0..N-1 are not an error here: `missing` names them and the report is incomplete (exit 3).
#pragma once

#include <absl/status/statusor.h>

#include <filesystem>
#include <string>
#include <vector>

#include "check/engines.hpp"

namespace dfrace::check {

struct Shard {
  unsigned k = 0, n = 1;
};
bool parse_shard(const std::string& text, Shard& out);  // "K/N", 0 <= K < N
std::string shard_name(const Shard& s);                  // "K/N"

// The recipes (and their positions in `all`) shard `s` runs.
std::vector<std::pair<std::size_t, std::string>> select_shard(const std::vector<std::string>& all, const Shard& s);

struct SavedRun {
  EngineJob job;
  JobOutcome outcome;
  double seconds = 0;
};

void save_manifest(const std::filesystem::path& dir, const Shard& s,
                   const std::vector<std::pair<std::size_t, std::string>>& recipes,
                   const std::vector<std::string>& engines, const std::string& protocol);
void save_run(const std::filesystem::path& dir, const SavedRun& run);  // thread-safe; names files uniquely

struct LoadedShards {
  std::string protocol;
  std::vector<std::string> engines;  // column order
  std::vector<std::string> recipes;  // in the order of the whole list
  std::vector<SavedRun> runs;
  unsigned n = 0;
  std::vector<std::string> missing;  // "K/N" of every shard not given
};
absl::StatusOr<LoadedShards> load_shards(const std::vector<std::filesystem::path>& dirs);

}  // namespace dfrace::check
