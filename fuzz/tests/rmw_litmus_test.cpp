// The read-modify-write litmus tests (tests/litmus/rmw_litmus.hpp) on the deterministic runtime and SimPlatform:
// - the fuzz executor's way: many inputs (random decision bytes), each one execution;
// - the proof mode's way: every execution (rt::Explorer), reduced and unreduced, with and without the reads-from
//   refinement; the three must reach the same verdicts and final states (soundness of the reduction with RMWs).
// Each test states the verdicts its checker must reach, and each has a broken twin that must be caught.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "exec/execution.hpp"
#include "litmus/rmw_litmus.hpp"
#include "platform/sim_platform.hpp"
#include "prove/proof.hpp"
#include "render/graph.hpp"
#include "render/timeline.hpp"
#include "rt/runtime.hpp"
#include "schedule/program.hpp"

namespace dfrace::fuzz {
namespace {

using litmus::CasCounter;
using litmus::ExchangeHandoff;
using litmus::ExchangeMessagePassing;
using litmus::ExchangeStoreBuffering;
using litmus::FailedCompareExchange;
using litmus::ReleaseSequence;
using P = SimPlatform;
using enum Access;

const std::vector<std::string_view>& litmus_site_names() {
  static const std::vector<std::string_view> names(litmus::kLitmusSiteNames.begin(), litmus::kLitmusSiteNames.end());
  return names;
}

// One execution of a litmus test, as the fuzz executor runs a pool: the input is a program header (ignored: a
// litmus test has one program) then decisions. A thread's failure and after()'s are invariant findings.
template <class Litmus>
ExecResult execute_litmus(const std::uint8_t* data, std::size_t size, const ExecRequest& request) {
  ExecResult result;
  rt::ChoiceSource in(data, size);
  result.program = decode_program(in);
  rt::Runtime& rt = rt::Runtime::get();
  rt.reset(in, rt::RunOptions{.trace = request.trace, .feedback = false, .races_fatal = request.races_fatal},
           &litmus_site_names());
  SimPlatform platform;
  std::optional<Litmus> test;
  test.emplace();
  for (unsigned t = 0; t < Litmus::kThreads; ++t) {
    rt.spawn("T" + std::to_string(t), [l = &*test, t, r = &rt] {
      if (const char* failure = l->thread(t)) r->fail(VerdictKind::kInvariant, failure);
    });
  }
  result.outcome = rt.run();
  if (!result.outcome.finding()) {
    if (const char* failure = test->after()) {  // sequential now: the runtime is dead after run()
      result.outcome.kind = VerdictKind::kInvariant;
      result.outcome.detail = failure;
    }
  }
  if (request.final_state && !result.outcome.finding()) result.final_state = test->state();
  result.model_limit = rt.model_limit();
  result.abandoned = rt.abandoned();
  if (request.trace) result.trace = rt.take_trace();
  return result;
}

// The distinct verdicts of `inputs` random inputs (decisions after an all-zero program header).
template <class Litmus>
std::set<std::string> fuzz_verdicts(int inputs) {
  std::set<std::string> lines;
  std::mt19937 rng(1234);
  for (int i = 0; i < inputs; ++i) {
    std::vector<std::uint8_t> bytes(kProgramBytes + 48);
    for (std::size_t b = kProgramBytes; b < bytes.size(); ++b) bytes[b] = static_cast<std::uint8_t>(rng());
    lines.insert(execute_litmus<Litmus>(bytes.data(), bytes.size(), {.feedback = false}).outcome.line());
  }
  return lines;
}

std::set<std::string> verdict_lines(const ProofResult& r) {
  std::set<std::string> lines;
  for (const auto& [line, n] : r.verdicts) lines.insert(line);
  return lines;
}

// Every execution, three ways (unreduced, reduced without and with the reads-from refinement): they must agree on
// the verdicts and the final states; returns the verdicts.
template <class Litmus>
std::set<std::string> proved_verdicts() {
  auto search = [](bool reduce, bool reads_from) {
    ProofOptions o;
    o.reduce = reduce;
    o.reads_from = reads_from;
    o.keep_going = true;
    o.collect_final_states = true;
    return prove(&execute_litmus<Litmus>, {Program{}}, o);
  };
  const ProofResult full = search(false, false);
  const ProofResult plain = search(true, false);
  const ProofResult refined = search(true, true);
  EXPECT_TRUE(full.complete && plain.complete && refined.complete);
  EXPECT_FALSE(full.diverged || plain.diverged || refined.diverged);
  EXPECT_FALSE(full.model_limit || plain.model_limit || refined.model_limit);
  EXPECT_EQ(verdict_lines(plain), verdict_lines(full));
  EXPECT_EQ(verdict_lines(refined), verdict_lines(full));
  EXPECT_EQ(plain.final_states, full.final_states);
  EXPECT_EQ(refined.final_states, full.final_states);
  EXPECT_LE(refined.executions, full.executions);
  return verdict_lines(full);
}

const std::set<std::string> kClean = {"clean"};

// Both ways of running the checker: many fuzz inputs reach exactly `expected`, and so does the exhaustive search.
template <class Litmus>
void expect_verdicts(const std::set<std::string>& expected, int fuzz_inputs = 20000) {
  EXPECT_EQ(fuzz_verdicts<Litmus>(fuzz_inputs), expected) << "fuzz executor";
  EXPECT_EQ(proved_verdicts<Litmus>(), expected) << "proof mode";
}

// --- atomicity ---

TEST(RmwLitmus, CompareExchangeLoopLosesNoIncrement) {
  expect_verdicts<CasCounter<P, 2>>(kClean);
  expect_verdicts<CasCounter<P, 2, true, kMb>>(kClean);
}

TEST(RmwLitmus, LoadThenStoreLosesIncrements) {
  const std::set<std::string> lost = {"clean", "invariant: lost update: the counter is short"};
  expect_verdicts<CasCounter<P, 2, /*kRmw=*/false>>(lost);
}

TEST(RmwLitmus, ExchangeHandsEveryValueOffOnce) {
  expect_verdicts<ExchangeHandoff<P, 2>>(kClean);
  expect_verdicts<ExchangeHandoff<P, 2, true, kAcquire>>(kClean);
}

TEST(RmwLitmus, LoadThenStoreHandsAValueOffTwice) {
  const std::set<std::string> twice = {"clean", "invariant: a value was handed off twice (and another lost)"};
  expect_verdicts<ExchangeHandoff<P, 2, /*kRmw=*/false>>(twice);
}

// --- message passing through an exchange ---

const std::set<std::string> kDataRace = {"clean", "data race: reader.data_load vs writer.data_store"};

TEST(RmwLitmus, ReleaseOrFullExchangePublishesToAnAcquire) {
  expect_verdicts<ExchangeMessagePassing<P, kRelease, kAcquire, /*by exchange=*/true>>(kClean);
  expect_verdicts<ExchangeMessagePassing<P, kRelease, kAcquire, /*by exchange=*/false>>(kClean);
  expect_verdicts<ExchangeMessagePassing<P, kMb, kAcquire, true>>(kClean);
  expect_verdicts<ExchangeMessagePassing<P, kMb, kMb, true>>(kClean);
  expect_verdicts<ExchangeMessagePassing<P, kRelease, kMb, true>>(kClean);
}

TEST(RmwLitmus, RelaxedOrAcquireOnlyPublishRaces) {
  expect_verdicts<ExchangeMessagePassing<P, kOnce, kAcquire, true>>(kDataRace);
  expect_verdicts<ExchangeMessagePassing<P, kOnce, kMb, true>>(kDataRace);
  expect_verdicts<ExchangeMessagePassing<P, kAcquire, kAcquire, true>>(kDataRace);  // full -> acquire-only
}

TEST(RmwLitmus, RelaxedOrReleaseOnlyReadRaces) {
  expect_verdicts<ExchangeMessagePassing<P, kRelease, kOnce, true>>(kDataRace);
  expect_verdicts<ExchangeMessagePassing<P, kMb, kRelease, true>>(kDataRace);  // full -> release-only
  expect_verdicts<ExchangeMessagePassing<P, kMb, kOnce, false>>(kDataRace);
}

// --- the fully ordered form is a full barrier ---

TEST(RmwLitmus, FullExchangeIsAFullBarrier) {
  expect_verdicts<ExchangeStoreBuffering<P, kMb>>(kClean);
}

TEST(RmwLitmus, ReleaseOrAcquireExchangeIsNoFullBarrier) {
  const std::set<std::string> missed = {"clean", "invariant: both loads missed the other thread's exchange"};
  expect_verdicts<ExchangeStoreBuffering<P, kRelease>>(missed);
  expect_verdicts<ExchangeStoreBuffering<P, kAcquire>>(missed);
}

// --- release sequences ---

TEST(RmwLitmus, RelaxedCompareExchangeContinuesTheReleaseSequence) {
  expect_verdicts<ReleaseSequence<P, /*kPassByRmw=*/true>>(kClean);
}

TEST(RmwLitmus, RelaxedStoreEndsTheReleaseSequence) {
  expect_verdicts<ReleaseSequence<P, /*kPassByRmw=*/false>>(kDataRace);
}

// --- a failed compare-exchange ---

TEST(RmwLitmus, SuccessfulAcquireCompareExchangeOrders) {
  expect_verdicts<FailedCompareExchange<P, kAcquire, 1>>(kClean);
  expect_verdicts<FailedCompareExchange<P, kMb, 1>>(kClean);
}

TEST(RmwLitmus, FailedCompareExchangeOrdersNothing) {
  expect_verdicts<FailedCompareExchange<P, kAcquire, 0>>(kDataRace);
  expect_verdicts<FailedCompareExchange<P, kMb, 0>>(kDataRace);
}

// --- what a trace says ---

TEST(RmwLitmus, TraceNamesTheReadModifyWrites) {
  // Thread 0 publishes (a release exchange), thread 1 fails its compare-exchange on 1 (expected 0); byte 0 after
  // the header keeps thread 0 running first.
  std::vector<std::uint8_t> bytes(kProgramBytes, 0);
  const ExecResult r = execute_litmus<FailedCompareExchange<P, kMb, 0>>(
      bytes.data(), bytes.size(), {.trace = true, .feedback = false, .races_fatal = false});
  std::string text;
  for (const auto& e : r.trace.events) text += r.trace.describe(e) + "\n";
  EXPECT_NE(text.find("reader.flag_read cmpxchg flag@2: reads 1 (store #4 by T0), expected 0: FAILED (orders "
                      "nothing)"),
            std::string::npos)
      << text;
  const ExecResult x = execute_litmus<ExchangeMessagePassing<P, kRelease, kAcquire, true>>(
      bytes.data(), bytes.size(), {.trace = true, .feedback = false});
  text.clear();
  for (const auto& e : x.trace.events) text += x.trace.describe(e) + "\n";
  EXPECT_NE(text.find("writer.flag_publish xchg_release flag@2: reads 0 (store #2 by init), writes 1 (store #4)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("reader.flag_read xchg_acquire flag@2: reads 1 (store #4 by T0), writes 2 (store #5) "
                      "[acquire: synchronizes]"),
            std::string::npos)
      << text;
  // The renderings: the timeline tells the same, the graph draws the exchange's read as a synchronizing rf edge.
  EXPECT_NE(render::timeline(x.trace, {.full = true}).find("xchg_acquire flag@2"), std::string::npos);
  const std::string dot = render::graph_dot(x.trace, /*full=*/true);
  EXPECT_NE(dot.find("xchg_release flag@2: 0 -> 1"), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"rf, sw\""), std::string::npos) << dot;
}

}  // namespace
}  // namespace dfrace::fuzz
