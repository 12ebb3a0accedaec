// The verdicts a user sees (docs/semantics.md §4), shared by every engine so the verdict matrix can compare them.
//
//   clean (how far it looked) · data race: <access A> vs <access B> · invariant: <which> · crash: <signal> ·
//   use after free: <access>
//
// An access is always named by the protocol's site name (e.g. drain.count_check), never only by an address.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/program_shape.hpp"

namespace dfrace {

enum class VerdictKind { kClean, kDataRace, kInvariant, kCrash, kUseAfterFree };

// Which directions (hand-offs) of the protocol an engine saw happen, by name, in the protocol's declaration order
// (DirectionInfo in recipe.hpp; engines observe them through Platform::observed). Reported with every "clean".
using DirectionSet = std::uint32_t;  // bit i: the protocol's direction i was observed

struct Coverage {
  std::vector<std::string> exercised;

  // The names of the directions set in `observed`, out of `names` (the protocol's directions, in order).
  static Coverage of(DirectionSet observed, const std::vector<std::string>& names);
  void merge(const Coverage& other);  // union, keeping the first-seen order
  const std::vector<std::string>& describe() const { return exercised; }
};

struct Verdict {
  VerdictKind kind = VerdictKind::kClean;
  std::string engine;  // relacy, fuzz, tsan, asan
  std::string recipe;
  // clean: how far it looked ("exhaustive: 24,310 executions"); data race: "A vs B"; invariant: which;
  // crash: the signal; use after free: the access.
  std::string detail;
  std::optional<Coverage> coverage;
  // The faults and behaviours this run could produce (infra/behaviours.hpp: "interrupts", "failed refills",
  // "weak memory", "flush"), out of those its engine declares; nullopt when the engine did not say.
  std::optional<std::vector<std::string>> covered;
  // A bounded engine's clean (a proof's configurations, Relacy's models): the programs its run was limited to;
  // nullopt when the run was not bounded by a program. A counterexample of a larger program is beyond it.
  std::optional<std::vector<ProgramShape>> programs;
  std::vector<std::string> artifacts;  // files a user opens next (history, crash input, report, picture)
  std::string replay;                  // a command that reproduces the finding, where there is one

  bool clean() const { return kind == VerdictKind::kClean; }
  // "data race: drain.count_check vs enqueue.count_publish"
  std::string line() const;
  nlohmann::json to_json() const;
  static std::optional<Verdict> from_json(const nlohmann::json& j);  // nullopt when not a verdict
};

std::string verdict_word(VerdictKind kind);  // "clean", "data race", "invariant", "crash", "use after free"
std::optional<VerdictKind> parse_verdict_word(const std::string& word);

// Digit runs -> "N": buffer ids, handle numbers and counts differ from one execution of a bug to the next, so a
// bug's signature (the fuzz engine's dedup key, check's bug list) leaves them out.
std::string without_numbers(const std::string& s);

// The site pair of a data race in a stable order, so two engines that saw the same pair print the same text.
std::string race_pair(const std::string& a, const std::string& b);

}  // namespace dfrace
