// Whether a disagreement between engines follows from what each one can produce, or is a real conflict.
//
// Each engine declares the faults and behaviours it can produce (`can_produce`), and each cell says which of them
// its run covered (`covered`, infra/behaviours.hpp). A recipe flagged by some engines and clean in others is
// explained when, for every clean engine and every bug the others found, the bug may need a behaviour that engine
// did not cover. A bug may need at most what every counterexample of it contains: its `uses` where the finder
// says (the fuzz engine does), else everything the finder's run covered (an engine that found it without
// covering interrupts shows it needs none). Otherwise it is a conflict: an engine covered everything the bug can
// need and still passed the recipe — a finding about the engines or the recipe, never noise. A bounded proof is
// accounted for in one more way: it lists the programs its run was limited to (Verdict::programs), and a bug none
// of whose known counterexamples fits within any of them (more CPUs, a larger SIZE, more pushes) lies beyond it.
#pragma once

#include <string>
#include <vector>

#include "check/matrix.hpp"

namespace dfrace::check {

struct CleanEngineNote {
  std::string engine;
  std::vector<std::string> cannot;   // behaviours a bug may need that the engine does not declare
  std::vector<std::string> did_not;  // ... that it declares but this run did not cover
  // "bug N needs 3 CPUs, SIZE 1, pushes 6+4+0": a bounded engine (Verdict::programs) none of whose programs that
  // bug's counterexamples fit within
  std::vector<std::string> larger_programs;
  std::vector<std::string> unexplained_bugs;  // "bug N" (distinct_bugs order, from 1): covered all, missed
  bool covered_unknown = false;      // its result did not say what it covered
};

struct Judgement {
  bool disagree = false;   // some engines flagged the recipe, others passed it
  bool explained = false;  // every clean engine is accounted for by what it did not cover
  std::vector<CleanEngineNote> clean_engines;
  std::string text() const;  // "tsan did not run with weak memory; relacy cannot produce interrupts" / the conflict
};

Judgement judge(const MatrixRow& row, const std::vector<std::string>& engine_order);

}  // namespace dfrace::check
