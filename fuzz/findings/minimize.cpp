#include "findings/minimize.hpp"

#include <algorithm>
#include <optional>

#include "schedule/program.hpp"

namespace dfrace::fuzz {
namespace {

class Search {
 public:
  Search(ExecFn exec, std::string signature, std::chrono::steady_clock::time_point deadline)
      : exec_(exec), signature_(std::move(signature)), deadline_(deadline) {}

  bool out_of_time() const { return std::chrono::steady_clock::now() >= deadline_; }
  unsigned executions() const { return executions_; }

  // The cost of `in` when it still ends in the bug; nullopt otherwise.
  std::optional<Cost> judge(const std::vector<std::uint8_t>& in) {
    ++executions_;
    ExecResult r = exec_(in.data(), in.size(), kCollectMode);
    if (signature_of(r.outcome) != signature_) return std::nullopt;
    return cost_of(r, in.size());
  }

  // Keeps `candidate` as the best when it is cheaper. True when it did.
  bool offer(std::vector<std::uint8_t> candidate, std::vector<std::uint8_t>& best, Cost& best_cost) {
    if (candidate == best) return false;
    auto c = judge(candidate);
    if (!c || !(*c < best_cost)) return false;
    best = std::move(candidate);
    best_cost = *c;
    return true;
  }

 private:
  ExecFn exec_;
  std::string signature_;
  std::chrono::steady_clock::time_point deadline_;
  unsigned executions_ = 0;
};

// Header edits: every smaller value of each header byte's fields.
bool shrink_header(Search& s, std::vector<std::uint8_t>& best, Cost& cost) {
  bool improved = false;
  if (best.size() < kProgramBytes) best.resize(kProgramBytes, 0);
  // byte 0: all 16 pool configurations (the cost decides which are smaller).
  for (unsigned b = 0; b < 16 && !s.out_of_time(); ++b) {
    auto c = best;
    c[0] = static_cast<std::uint8_t>(b);
    improved |= s.offer(std::move(c), best, cost);
  }
  // bytes 1..3: fewer enqueues on that CPU.
  for (std::size_t i = 1; i <= 3; ++i) {
    for (unsigned n = 0; n < best[i] % 8u && !s.out_of_time(); ++n) {
      auto c = best;
      c[i] = static_cast<std::uint8_t>(n);
      if (s.offer(std::move(c), best, cost)) improved = true;
    }
  }
  // byte 4: drop one feature bit at a time.
  for (unsigned bit = 0; bit < 8 && !s.out_of_time(); ++bit) {
    if ((best[4] >> bit & 1u) == 0) continue;
    auto c = best;
    c[4] = static_cast<std::uint8_t>(c[4] & ~(1u << bit));
    improved |= s.offer(std::move(c), best, cost);
  }
  return improved;
}

// Decision bytes: delete runs (ddmin-style, halves down to single bytes), then zero single bytes.
bool shrink_decisions(Search& s, std::vector<std::uint8_t>& best, Cost& cost) {
  bool improved = false;
  for (std::size_t chunk = std::max<std::size_t>(1, (best.size() - kProgramBytes) / 2); chunk >= 1; chunk /= 2) {
    for (std::size_t at = kProgramBytes; at + chunk <= best.size() && !s.out_of_time();) {
      auto c = best;
      c.erase(c.begin() + static_cast<std::ptrdiff_t>(at), c.begin() + static_cast<std::ptrdiff_t>(at + chunk));
      if (s.offer(std::move(c), best, cost)) {
        improved = true;
      } else {
        at += chunk;
      }
    }
    if (chunk == 1) break;
  }
  for (std::size_t at = kProgramBytes; at < best.size() && !s.out_of_time(); ++at) {
    if (best[at] == 0) continue;
    auto c = best;
    c[at] = 0;
    improved |= s.offer(std::move(c), best, cost);
  }
  return improved;
}

}  // namespace

Minimized minimize(ExecFn exec, const std::vector<std::uint8_t>& input, const std::string& signature,
                   std::chrono::steady_clock::duration budget) {
  Search s(exec, signature, std::chrono::steady_clock::now() + budget);
  Minimized m;
  m.input = input;
  auto first = s.judge(input);
  if (!first) {  // does not reproduce on its own: nothing to minimize
    m.executions = s.executions();
    return m;
  }
  m.before = *first;
  Cost cost = *first;
  while (!s.out_of_time()) {
    bool improved = shrink_header(s, m.input, cost);
    improved |= shrink_decisions(s, m.input, cost);
    if (!improved) break;
  }
  m.after = cost;
  m.executions = s.executions();
  m.timed_out = s.out_of_time();
  return m;
}

}  // namespace dfrace::fuzz
