// The faults and behaviours an engine can make a run go through, and which of them each engine declares.
//
// A clean verdict is only as strong as what the run could produce: an engine that never injects an interrupt
// cannot see a bug that needs one. Every engine result (infra/engine_result.hpp, version 2) carries
//   - `can_produce`: the behaviours its engine declares (written by make_engine_result from the table below), and
//   - per verdict `covered`: the ones that run actually enabled (set by the engine from its configuration: the
//     Relacy models it ran, the stress modes, the proof configurations),
// so `dfrace check` can tell a disagreement that follows from them ("only fuzz injects interrupts") from a real
// conflict.
//
// The vocabulary (kBehaviours) is closed: the reader refuses an unknown name.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace dfrace {

inline constexpr std::string_view kInterrupts = "interrupts";        // an interrupt enqueues inside an enqueue
inline constexpr std::string_view kFailedRefills = "failed refills"; // the drain's buffer allocation fails
inline constexpr std::string_view kWeakMemory = "weak memory";       // a load reads an older store (reorderings)
inline constexpr std::string_view kFlush = "flush";                  // flush() runs concurrently

inline constexpr std::array<std::string_view, 4> kBehaviours = {kInterrupts, kFailedRefills, kWeakMemory, kFlush};

bool is_behaviour(std::string_view name);

// What `engine` declares it can produce (empty for an engine this table does not know).
std::vector<std::string> declared_behaviours(std::string_view engine);

// The behaviours whose flag is set, in kBehaviours order.
std::vector<std::string> behaviours(bool interrupts, bool failed_refills, bool weak_memory, bool flush);

// `a` with every behaviour of `b` added, in kBehaviours order.
std::vector<std::string> behaviours_union(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace dfrace
