#include "findings/signature.hpp"


namespace dfrace::fuzz {
namespace {

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

}  // namespace

std::string signature_of(const rt::Outcome& o) {
  if (!o.finding()) return {};
  return without_numbers(verdict_word(o.kind) + ": " + o.detail);
}

int rank(const rt::Outcome& o) {
  int consequence = 5;
  switch (o.kind) {
    case VerdictKind::kUseAfterFree: consequence = 0; break;
    case VerdictKind::kInvariant:
      if (contains(o.detail, "never written") || contains(o.detail, "twice") || contains(o.detail, "double")) {
        consequence = 1;
      } else if (contains(o.detail, "never freed")) {
        consequence = 2;
      } else {
        consequence = 4;
      }
      break;
    case VerdictKind::kCrash: consequence = 3; break;
    case VerdictKind::kDataRace: return 20;  // a race that led to nothing the executor could see
    case VerdictKind::kClean: return 100;
  }
  return o.race.empty() ? 10 + consequence : consequence;
}

std::string Cost::describe() const {
  auto count = [](std::uint64_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); };
  return count(cpus, "CPU", "CPUs") + ", " + count(pushes, "push", "pushes") + ", " + count(steps, "step", "steps");
}

Cost cost_of(const ExecResult& r, std::size_t input_bytes) {
  Cost c;
  c.cpus = r.program.nr_cpus;
  for (unsigned i = 0; i < r.program.nr_cpus && i < r.program.enqueues.size(); ++i) c.pushes += r.program.enqueues[i];
  if (r.program.irq) ++c.pushes;
  c.threads = r.program.nr_cpus + (r.program.flusher ? 1 : 0) + (r.program.irq ? 1 : 0);
  c.steps = r.outcome.steps;
  c.bytes = input_bytes;
  return c;
}

}  // namespace dfrace::fuzz
