// Program: what the input's header bytes ask the virtual threads to do (the operation program of docs/semantics.md §3).
//
// Byte layout, consumed first and in this order (missing bytes read as 0; every byte string is a program):
//   [0] pool config: nr_cpus = 1 + (b & 3) % 3, SIZE = 1 + (b >> 2 & 3), bits 4..6: at most that many drain runs
//       start by themselves (0: no limit; the platform's work-run limit), bit 7: four CPUs (byte [5] follows)
//   [1..3] enqueues of the producer on cpu 0, 1, 2: b % 8 (a burst past SIZE takes the overflow path)
//   [4] faults and extra threads: bit0 a flush() thread, bit1 an interrupt that enqueues on cpu (b >> 2 & 3) %
//       nr_cpus in the middle of that CPU's enqueue, bits 4..7: the first four refill allocations of the drain fail
//   [5] only with four CPUs: enqueues of the producer on cpu 3, b % 8
// Version-1 finding files predate bits 4..7 of byte 0 (they were ignored then); the finding-file reader clears them.
// Everything after is scheduling decisions and load choices, consumed as the execution reaches them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/program_shape.hpp"
#include "rt/choices.hpp"

namespace dfrace::fuzz {

inline constexpr std::size_t kProgramBytes = 5;  // 6 with four CPUs
inline constexpr unsigned kMaxCpus = 4;
inline constexpr unsigned kMaxDrainRunLimit = 7;
inline constexpr std::uint8_t kFourCpus = 0x80;

struct Program {
  unsigned nr_cpus = 1;
  std::size_t size = 1;
  std::array<unsigned, kMaxCpus> enqueues{};
  bool flusher = false;
  bool irq = false;
  unsigned irq_cpu = 0;
  std::uint32_t alloc_fail_mask = 0;
  unsigned drain_run_limit = 0;  // 0: none

  unsigned total_handles() const;
  std::string describe() const;
};

Program decode_program(rt::ChoiceSource& in);
// Its size as engine results state it (CPUs, SIZE, pushes per CPU).
ProgramShape shape_of(const Program& p);
// The header bytes that decode to `p` (its CPUs, SIZE, pushes and flags must be in the ranges above).
std::vector<std::uint8_t> encode_program(const Program& p);

}  // namespace dfrace::fuzz
