#include "tools/bug_list.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "exec/registry.hpp"
#include "findings/minimize.hpp"
#include "infra/behaviours.hpp"
#include "tools/replay.hpp"

namespace fs = std::filesystem;

namespace dfrace::fuzz {
namespace {

struct Saved {
  std::string signature;
  double found_after = 0;
  std::vector<std::uint8_t> input;
  std::string hash;
};

std::vector<Saved> read_saved(const std::string& dir) {
  std::vector<Saved> saved;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".input") continue;
    Saved s;
    s.hash = e.path().stem().string();
    std::ifstream sig(fs::path(dir) / (s.hash + ".sig"));
    std::string line_text, time_text;
    if (!std::getline(sig, s.signature) || !std::getline(sig, line_text) || !std::getline(sig, time_text)) continue;
    s.found_after = std::atof(time_text.c_str());
    auto bytes = read_file(e.path().string());
    if (!bytes) continue;
    s.input = std::move(*bytes);
    saved.push_back(std::move(s));
  }
  std::sort(saved.begin(), saved.end(), [](const Saved& a, const Saved& b) { return a.found_after < b.found_after; });
  return saved;
}

// What a counterexample contains, from its program and its trace (the stale loads).
std::vector<std::string> uses_of(ExecFn exec, const std::vector<std::uint8_t>& input) {
  ExecRequest traced = kCollectMode;
  traced.trace = true;
  const ExecResult r = exec(input.data(), input.size(), traced);
  const bool stale = std::any_of(r.trace.events.begin(), r.trace.events.end(),
                                 [](const rt::Event& e) { return e.kind == rt::EventKind::kLoad && e.stale; });
  // A refill failure counts when one was injected, not when the program allowed one: a protocol without refills
  // (one that preallocates its buffers) never fails one, whatever the input's fault bits say.
  const bool failed_refill = std::any_of(r.trace.events.begin(), r.trace.events.end(), [](const rt::Event& e) {
    return e.kind == rt::EventKind::kOp && e.note.find("(injected failure)") != std::string::npos;
  });
  return behaviours(r.program.irq, failed_refill, stale, r.program.flusher);
}

}  // namespace

std::vector<Bug> collect_bugs(const std::string& recipe, const std::string& dir, const std::string& out,
                              std::chrono::steady_clock::duration minimize_budget) {
  ExecFn exec = find_executor(recipe);
  std::vector<Bug> bugs;
  if (exec == nullptr) return bugs;
  std::vector<Saved> saved = read_saved(dir);
  // Worst first, so the bugs a reviewer reads first get the budget first; what a quick minimization leaves over
  // goes to the next ones.
  std::vector<int> ranks;
  for (const Saved& s : saved) ranks.push_back(rank(exec(s.input.data(), s.input.size(), kCollectMode).outcome));
  std::vector<std::size_t> order(saved.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ranks[a] < ranks[b]; });
  const auto floor = std::chrono::milliseconds(300);
  const auto deadline = std::chrono::steady_clock::now() + minimize_budget;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Saved& s = saved[order[k]];
    const auto left = deadline - std::chrono::steady_clock::now();
    const auto share = std::max<std::chrono::steady_clock::duration>(floor, left / static_cast<long>(order.size() - k));
    Minimized m = minimize(exec, s.input, s.signature, share);
    ExecResult r = exec(m.input.data(), m.input.size(), kCollectMode);
    if (signature_of(r.outcome) != s.signature) continue;  // did not reproduce on its own (cannot happen: deterministic)
    Bug b;
    b.signature = s.signature;
    b.outcome = r.outcome;
    b.found_after = s.found_after;
    b.found_cost = m.before;
    b.cost = cost_of(r, m.input.size());
    b.rank = rank(r.outcome);
    b.uses = uses_of(exec, m.input);
    b.program = shape_of(r.program);
    b.finding = (fs::path(out) / (recipe + "-" + s.hash + ".dfrace")).string();
    if (!write_file(b.finding, finding_for(recipe, m.input))) b.finding.clear();
    bugs.push_back(std::move(b));
  }
  std::stable_sort(bugs.begin(), bugs.end(), [](const Bug& a, const Bug& b) { return a.rank < b.rank; });
  // A bare race that is also the first race of a bug with a consequence is shown there.
  std::vector<std::string> causes;
  for (const Bug& b : bugs) {
    if (!b.outcome.race.empty()) causes.push_back(b.outcome.race);
  }
  std::erase_if(bugs, [&](const Bug& b) {
    return b.outcome.kind == VerdictKind::kDataRace &&
           std::find(causes.begin(), causes.end(), b.outcome.detail) != causes.end();
  });
  return bugs;
}

}  // namespace dfrace::fuzz
