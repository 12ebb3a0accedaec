#include "prove/proof.hpp"

#include <algorithm>
#include <chrono>

#include "rt/explorer.hpp"
#include "rt/runtime.hpp"

namespace dfrace::fuzz {

void ProofResult::merge(const ProofResult& o) {
  executions += o.executions;
  probes += o.probes;
  abandoned += o.abandoned;
  max_depth = std::max(max_depth, o.max_depth);
  complete = complete && o.complete;
  diverged = diverged || o.diverged;
  model_limit = model_limit || o.model_limit;
  if (o.counterexample && (!counterexample || o.counterexample->steps < counterexample->steps)) {
    counterexample = o.counterexample;
  }
  for (const auto& [line, n] : o.verdicts) verdicts[line] += n;
  final_states.insert(o.final_states.begin(), o.final_states.end());
  directions |= o.directions;
  seconds = std::max(seconds, o.seconds);
}

ProofResult prove(ExecFn exec, const std::vector<Program>& programs, const ProofOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto next_report = start + std::chrono::seconds(1);
  ProofResult result;
  result.complete = true;
  rt::Runtime& runtime = rt::Runtime::get();
  std::uint64_t since_first_finding = 0;
  bool stop = false;
  // Sharding: with at least as many programs as shards (failing refills make 16), a shard takes whole programs,
  // so nothing is explored twice. With fewer, each program's tree is split (rt::Explorer's dealt-out prefix,
  // which is explored without reduction and so costs far more than it splits).
  const bool by_program = options.shards > 1 && programs.size() >= options.shards;
  for (std::size_t i = 0; i < programs.size(); ++i) {
    if (by_program && i % options.shards != options.shard) continue;
    const std::vector<std::uint8_t> header = encode_program(programs[i]);
    rt::Explorer explorer(rt::ExplorerOptions{.reduce = options.reduce,
                                              .reads_from = options.reads_from,
                                              .store_floors = options.store_floors,
                                              .shard = by_program ? 0 : options.shard,
                                              .shards = by_program ? 1 : options.shards,
                                              .prefix_branches = options.prefix_branches});
    runtime.set_explorer(&explorer);
    bool more = true;
    while (more && !stop) {
      const ExecResult r = exec(header.data(), header.size(),
                                {.trace = false, .feedback = false, .races_fatal = true,
                                 .final_state = options.collect_final_states,
                                 .abstract_model = options.abstract_model});
      if (explorer.diverged()) {
        result.diverged = true;
        stop = true;
        break;
      }
      result.max_depth = std::max(result.max_depth, explorer.depth());
      if (r.abandoned) {
        ++result.abandoned;
      } else if (explorer.counted()) {
        ++result.executions;
        if (r.model_limit != rt::ModelLimit::kNone) result.model_limit = true;
        const std::string line = r.outcome.line();
        ++result.verdicts[line];
        result.directions |= r.directions;
        // Only an execution that ran to its end has a final state: one that stopped at a finding stopped the other
        // threads wherever they were, which independent steps may order either way.
        if (options.collect_final_states && !r.outcome.finding()) result.final_states.insert(r.final_state);
        if (r.outcome.finding()) {
          if (!result.counterexample || r.outcome.steps < result.counterexample->steps) {
            std::vector<std::uint8_t> input = header;
            const std::vector<std::uint8_t> decisions = explorer.choice_bytes();
            input.insert(input.end(), decisions.begin(), decisions.end());
            result.counterexample = Counterexample{line, std::move(input), r.outcome.steps};
          }
        }
      } else {
        ++result.probes;
      }
      if (result.counterexample && !options.keep_going && ++since_first_finding > options.shorter_search) stop = true;
      if (options.max_executions != 0 && result.executions >= options.max_executions) stop = true;
      more = explorer.advance();
      if (options.progress && Clock::now() >= next_report) {
        next_report += std::chrono::seconds(1);
        options.progress({result.executions, result.probes, explorer.depth(),
                          std::chrono::duration<double>(Clock::now() - start).count()});
      }
    }
    runtime.set_explorer(nullptr);
    if (more) result.complete = false;  // stopped before the end of this program's tree
    if (stop) {
      result.complete = false;
      break;
    }
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace dfrace::fuzz
