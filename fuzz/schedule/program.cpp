#include "schedule/program.hpp"

namespace dfrace::fuzz {

Program decode_program(rt::ChoiceSource& in) {
  Program p;
  const std::uint8_t config = in.byte();
  const bool four = config & kFourCpus;
  p.nr_cpus = four ? 4 : 1 + (config & 3u) % 3;
  p.size = 1 + ((config >> 2) & 3u);
  p.drain_run_limit = (config >> 4) & 7u;
  for (unsigned cpu = 0; cpu < 3; ++cpu) {
    const std::uint8_t b = in.byte();
    p.enqueues[cpu] = cpu < p.nr_cpus ? b % 8 : 0;
  }
  const std::uint8_t f = in.byte();
  p.flusher = f & 1u;
  p.irq = f & 2u;
  p.irq_cpu = ((f >> 2) & 3u) % p.nr_cpus;
  p.alloc_fail_mask = (f >> 4) & 0xfu;
  if (four) p.enqueues[3] = in.byte() % 8;
  return p;
}

std::vector<std::uint8_t> encode_program(const Program& p) {
  const bool four = p.nr_cpus == 4;
  std::vector<std::uint8_t> out;
  out.push_back(static_cast<std::uint8_t>((four ? kFourCpus : (p.nr_cpus - 1)) | ((p.size - 1) << 2) |
                                          (p.drain_run_limit << 4)));
  for (unsigned cpu = 0; cpu < 3; ++cpu) out.push_back(static_cast<std::uint8_t>(cpu < p.nr_cpus ? p.enqueues[cpu] : 0));
  out.push_back(static_cast<std::uint8_t>((p.flusher ? 1u : 0u) | (p.irq ? 2u : 0u) | (p.irq_cpu << 2) |
                                          (p.alloc_fail_mask << 4)));
  if (four) out.push_back(static_cast<std::uint8_t>(p.enqueues[3]));
  return out;
}

unsigned Program::total_handles() const {
  unsigned n = irq ? 1 : 0;
  for (unsigned e : enqueues) n += e;
  return n;
}

ProgramShape shape_of(const Program& p) {
  ProgramShape s{p.nr_cpus, static_cast<unsigned>(p.size), {}};
  for (unsigned cpu = 0; cpu < p.nr_cpus; ++cpu) s.pushes.push_back(p.enqueues[cpu]);
  return s;
}

std::string Program::describe() const {
  std::string s = "nr_cpus=" + std::to_string(nr_cpus) + " SIZE=" + std::to_string(size) + " enqueues=";
  for (unsigned cpu = 0; cpu < nr_cpus; ++cpu) s += (cpu ? "," : "") + std::to_string(enqueues[cpu]);
  if (flusher) s += " +flush";
  if (irq) s += " +irq@cpu" + std::to_string(irq_cpu);
  if (alloc_fail_mask) s += " alloc_fail_mask=" + std::to_string(alloc_fail_mask);
  if (drain_run_limit) s += " drain_runs<=" + std::to_string(drain_run_limit);
  return s;
}

}  // namespace dfrace::fuzz
