#include "schedule/program.hpp"

namespace dfrace::fuzz {

Program decode_program(rt::ChoiceSource& in) {
  Program p;
  const std::uint8_t config = in.byte();
  p.nr_cpus = 1 + (config & 3u) % 3;
  p.size = 1 + ((config >> 2) & 3u);
  for (unsigned cpu = 0; cpu < kMaxCpus; ++cpu) {
    const std::uint8_t b = in.byte();
    p.enqueues[cpu] = cpu < p.nr_cpus ? b % 8 : 0;
  }
  const std::uint8_t f = in.byte();
  p.flusher = f & 1u;
  p.irq = f & 2u;
  p.irq_cpu = ((f >> 2) & 3u) % p.nr_cpus;
  p.alloc_fail_mask = (f >> 4) & 0xfu;
  return p;
}

unsigned Program::total_handles() const {
  unsigned n = irq ? 1 : 0;
  for (unsigned e : enqueues) n += e;
  return n;
}

std::string Program::describe() const {
  std::string s = "nr_cpus=" + std::to_string(nr_cpus) + " SIZE=" + std::to_string(size) + " enqueues=";
  for (unsigned cpu = 0; cpu < nr_cpus; ++cpu) s += (cpu ? "," : "") + std::to_string(enqueues[cpu]);
  if (flusher) s += " +flush";
  if (irq) s += " +irq@cpu" + std::to_string(irq_cpu);
  if (alloc_fail_mask) s += " alloc_fail_mask=" + std::to_string(alloc_fail_mask);
  return s;
}

}  // namespace dfrace::fuzz
