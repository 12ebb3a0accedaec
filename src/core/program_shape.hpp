// ProgramShape: how large a program is — CPUs, SIZE, handles pushed per CPU — as an engine result states it
// (docs/result-schema.md): for a counterexample, the program it runs; for a bounded engine's clean, the programs
// its run was limited to (a proof's configurations, Relacy's models).
//
// Contract
// - `fits_within(other)`: no dimension larger than `other`'s (CPUs, SIZE, and pushes per CPU compared largest
//   first, since CPUs are interchangeable). It over-approximates "an engine that ran `other` could have run this":
//   `check` calls a disagreement explained by size only when a bug's program fits within none of a clean engine's
//   programs, so the approximation can only leave a conflict visible, never hide one.
// - JSON: {"cpus": 3, "size": 1, "pushes": [6, 4, 0]}; `from_json` refuses anything else (nullopt and a reason).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace dfrace {

struct ProgramShape {
  unsigned cpus = 1;
  unsigned size = 1;
  std::vector<unsigned> pushes;  // per CPU, cpus entries

  bool fits_within(const ProgramShape& other) const;
  std::string describe() const;  // "3 CPUs, SIZE 1, pushes 6+4+0"
  nlohmann::json to_json() const;
  static std::optional<ProgramShape> from_json(const nlohmann::json& j, std::string& why);
  bool operator==(const ProgramShape&) const = default;
};

}  // namespace dfrace
