// The proof mode, tested against what can be computed without it.
//
// - Soundness of the reduction: on every configuration small enough to enumerate without reduction, the reduced
//   search reaches exactly the same verdicts and final states as the unreduced one (and never more executions).
// - Soundness of the abstract model: each exact execution is an abstract one (findings and final states), and the
//   reduction reaches what the unreduced search reaches inside it.
// - Soundness of sharding: the shards' union reaches the same verdicts and final states as one search.
// - Counterexamples are real: each replays from its bytes, through the fuzz executor, to the verdict it reported.
// - Agreement with the other engines, at the configurations `check` proves at and as it proves them (abstract
//   model first): a built-in recipe is proved exactly when the catalogue claims it correct (the claims every other
//   engine has checked), unless its recorded counterexamples all need a larger program; each mutant is decided as
//   Relacy decided it (its expected-verdicts file, DFRACE_RELACY_EXPECTED).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "exec/registry.hpp"
#include "prove/proof.hpp"
#include "prove/prove_config.hpp"
#include "prove/two_pass.hpp"
#include "schedule/finding_file.hpp"
#include "protocols/registry.hpp"

namespace dfrace::fuzz {
namespace {

ProveConfig config(const std::string& name) {
  std::string why;
  auto c = parse_prove_config(name, why);
  EXPECT_TRUE(c.has_value()) << why;
  return c.value_or(ProveConfig{});
}

ProofResult run(const std::string& recipe, const std::string& cfg, ProofOptions options) {
  const ExecFn exec = find_executor(recipe);
  EXPECT_NE(exec, nullptr) << recipe;
  return prove(exec, config(cfg).programs(), options);
}

// The distinct verdicts a search reached (how often each was reached depends on the reduction).
std::set<std::string> verdict_lines(const ProofResult& r) {
  std::set<std::string> lines;
  for (const auto& [line, n] : r.verdicts) lines.insert(line);
  return lines;
}

ProofOptions everything(bool reduce, bool abstract_model = false) {
  ProofOptions o;
  o.reduce = reduce;
  o.abstract_model = abstract_model;
  o.keep_going = true;
  o.collect_final_states = true;
  return o;
}

// The configurations the unreduced search finishes on in seconds (measured: `dfrace prove --unreduced`); between
// them a re-enqueue after a drain, two drain runs, a flush, an interrupt and failing refills. Two CPUs are out of
// its reach: 2cpu-s1-p1-d1 unreduced did not finish in 15 minutes here (the reduced search: 40 executions).
const std::vector<std::string> kSmallConfigs = {"1cpu-s1-p2-d2", "1cpu-s2-p3-d1", "1cpu-s1-p0-d1-flush",
                                                "1cpu-s1-p1-d1-irq", "1cpu-s1-p1-d1-allocfail"};
// Larger ones (20-60 s unreduced each), run on the seed's buggy recipe and on the fix. Each caught a search that
// missed executions: an interrupt whose gate the producer's unlock closes (found "handle 2 never freed" but not
// "handle 1"), and a flush that must take the CPU's binding before the producer does (all 18 executions raced
// where the unreduced search also found clean ones and a second race).
const std::vector<std::string> kLargerConfigs = {"1cpu-s2-p2-d1-irq", "1cpu-s1-p1-d1-flush"};

std::vector<std::string> recipes_under_test() {
  return {"posted_v2", "reply_fix", "complete_fix", "wmb_rmb", "complete_fix@drain.count_reset=once",
          "complete_fix@enqueue.count_publish=once"};
}

// `search` against `reference`, both searches of one configuration to the end: the same verdicts and final states,
// and never more executions.
void expect_reaches_what(const ProofResult& search, const ProofResult& reference) {
  ASSERT_TRUE(reference.complete && search.complete);
  EXPECT_FALSE(reference.diverged || search.diverged);
  EXPECT_EQ(verdict_lines(search), verdict_lines(reference));
  EXPECT_EQ(search.final_states, reference.final_states);
  EXPECT_LE(search.executions, reference.executions);
}

void expect_same_as_unreduced(const std::string& recipe, const std::string& cfg, bool abstract_model = false) {
  SCOPED_TRACE(recipe + " on " + cfg + (abstract_model ? " (abstract model)" : ""));
  const ProofResult full = run(recipe, cfg, everything(false, abstract_model));
  const ProofResult reduced = run(recipe, cfg, everything(true, abstract_model));
  EXPECT_FALSE(full.model_limit || reduced.model_limit);
  expect_reaches_what(reduced, full);
}

TEST(ProveReduction, SameVerdictsAndFinalStatesAsTheUnreducedSearch) {
  for (const std::string& recipe : recipes_under_test()) {
    for (const std::string& cfg : kSmallConfigs) expect_same_as_unreduced(recipe, cfg);
  }
}

TEST(ProveReduction, SameAsTheUnreducedSearchOnLargerConfigurations) {
  for (const std::string recipe : {"posted_v2", "complete_fix"}) {
    for (const std::string& cfg : kLargerConfigs) expect_same_as_unreduced(recipe, cfg);
  }
}

// The built-in recipes whose protocol has read-modify-write sites (exchange, compare-exchange): the reduction's
// rule for them (an RMW is a write of its location, a failed compare-exchange a read that names no store) is held
// to the unreduced search on the real pool. (Measured on the RMW protocol's seven recipes: 0.2 s in all.)
std::vector<std::string> rmw_recipes() {
  std::vector<std::string> names;
  for (const auto& meta : protocols::all_recipes(false)) {
    for (const auto& site : meta.protocol->sites) {
      if (site.kind == SiteKind::kRmw) {
        names.push_back(meta.name);
        break;
      }
    }
  }
  return names;
}

TEST(ProveReduction, ReadModifyWritePoolsReachWhatTheUnreducedSearchReaches) {
  const std::vector<std::string> recipes = rmw_recipes();
  if (recipes.empty()) {
    GTEST_SKIP() << "no registered protocol has read-modify-write sites (rmw_litmus_test covers the runtime)";
  }
  // The configurations the unreduced search finishes in seconds on such a pool (two CPUs do not).
  for (const std::string& recipe : recipes) {
    for (const std::string cfg : {"1cpu-s1-p1-d1", "1cpu-s2-p2-d1"}) expect_same_as_unreduced(recipe, cfg);
  }
}

// The reads-from refinement (a load depends only on the store it read) against the reduction without it, where
// the unreduced search cannot go: two CPUs, re-enqueues after drains, a flush, failing refills.
TEST(ProveReduction, ReadsFromRefinementReachesWhatThePlainReductionReaches) {
  for (const std::string& recipe : recipes_under_test()) {
    for (const std::string cfg : {"2cpu-s1-p2-d2", "2cpu-s2-p3-d2", "2cpu-s1-p1-d1-flush", "2cpu-s1-p1-d2-allocfail", "2cpu-s1-p1-d1-irq"}) {
      SCOPED_TRACE(recipe + " on " + cfg);
      ProofOptions plain_options = everything(true);
      plain_options.reads_from = false;
      expect_reaches_what(run(recipe, cfg, everything(true)), run(recipe, cfg, plain_options));
    }
  }
}

// Store floors (rt::Explorer: a sleeping load woken only by a newer store reads only that store or newer) against
// the same search without them, in both models, where loads meet newer stores: the seed's recipes and mutants on
// two CPUs with several fills and drain runs, a flush, failing refills and an interrupt; every other built-in
// recipe on the configurations its search (kept going past findings) finishes in seconds.
void expect_floors_reach_what_no_floors_reach(const std::string& recipe, const std::vector<std::string>& configs,
                                              bool& fewer_somewhere) {
  for (const bool abstract_model : {false, true}) {
    for (const std::string& cfg : configs) {
      SCOPED_TRACE(recipe + " on " + cfg + (abstract_model ? " (abstract model)" : ""));
      ProofOptions without = everything(true, abstract_model);
      without.store_floors = false;
      const ProofResult reference = run(recipe, cfg, without);
      const ProofResult floored = run(recipe, cfg, everything(true, abstract_model));
      expect_reaches_what(floored, reference);
      fewer_somewhere |= floored.executions < reference.executions;
    }
  }
}

TEST(ProveReduction, StoreFloorsReachWhatTheSearchWithoutThemReaches) {
  const std::vector<std::string> seed = recipes_under_test();
  bool fewer_somewhere = false;
  for (const std::string& recipe : seed) {
    expect_floors_reach_what_no_floors_reach(
        recipe, {"2cpu-s1-p2-d2", "1cpu-s2-p4-d3", "2cpu-s1-p1-d1-flush", "2cpu-s1-p1-d2-allocfail", "2cpu-s1-p1-d1-irq"},
        fewer_somewhere);
  }
  for (const auto& meta : protocols::all_recipes(false)) {
    if (std::find(seed.begin(), seed.end(), meta.name) != seed.end()) continue;
    expect_floors_reach_what_no_floors_reach(
        meta.name, {"2cpu-s1-p1-d1", "1cpu-s2-p4-d3", "1cpu-s1-p1-d1-flush", "1cpu-s1-p1-d1-irq", "1cpu-s1-p1-d1-allocfail"},
        fewer_somewhere);
  }
  EXPECT_TRUE(fewer_somewhere) << "store floors pruned nothing anywhere: the test no longer tests them";
}

// The abstract model (zs_free's lock orders nothing) is a model like the exact one: the reduction must reach what
// the unreduced search reaches there too.
TEST(ProveReduction, SameAsTheUnreducedSearchInTheAbstractModel) {
  for (const std::string recipe : {"posted_v2", "complete_fix"}) {
    for (const std::string& cfg : kSmallConfigs) expect_same_as_unreduced(recipe, cfg, /*abstract_model=*/true);
  }
}

// The abstract model may only add executions: `dfrace prove` takes its clean search as a proof of the exact model.
// Checked here on configurations both searches finish: whatever the exact model finds, the abstract model finds
// something; where the abstract model finds nothing, the exact model finds nothing and ends in no final state the
// abstract model does not also reach (each exact execution is an abstract one).
void expect_abstract_covers_exact(const std::string& recipe, const std::string& cfg, bool& smaller_somewhere) {
  SCOPED_TRACE(recipe + " on " + cfg);
  const ProofResult exact = run(recipe, cfg, everything(true));
  const ProofResult abstract = run(recipe, cfg, everything(true, /*abstract_model=*/true));
  ASSERT_TRUE(exact.complete && abstract.complete);
  EXPECT_FALSE(exact.diverged || abstract.diverged || exact.model_limit || abstract.model_limit);
  if (exact.counterexample) EXPECT_TRUE(abstract.counterexample) << exact.counterexample->verdict;
  if (!abstract.counterexample) {
    EXPECT_FALSE(exact.counterexample);
    EXPECT_TRUE(std::includes(abstract.final_states.begin(), abstract.final_states.end(), exact.final_states.begin(),
                              exact.final_states.end()));
  }
  smaller_somewhere |= abstract.executions < exact.executions;
}

// The seed's protocol, where producers' fallback frees contend with the drain's for zs_free's lock and several
// fills queue the drain: one and two CPUs, re-enqueues after drains, a flush (the work item stays exact there), an
// interrupt, failing refills.
TEST(ProveAbstraction, EveryExactExecutionIsAnAbstractOne) {
  std::vector<std::string> configs = kSmallConfigs;
  configs.insert(configs.end(), {"2cpu-s1-p2-d2", "2cpu-s2-p3-d2", "2cpu-s1-p1-d2-allocfail", "2cpu-s1-p1-d1-irq"});
  bool smaller_somewhere = false;
  for (const std::string& recipe : recipes_under_test()) {
    for (const std::string& cfg : configs) expect_abstract_covers_exact(recipe, cfg, smaller_somewhere);
  }
  EXPECT_TRUE(smaller_somewhere) << "the abstract model never searched fewer executions: it abstracts nothing";
}

// Every built-in recipe of every protocol: the abstract work item relies on the platform contract (a pool uses
// schedule_work's result only to wait or to count), which each protocol must keep.
TEST(ProveAbstraction, EveryProtocolKeepsTheContractTheAbstractionNeeds) {
  bool smaller_somewhere = false;
  for (const auto& meta : protocols::all_recipes(false)) {
    for (const std::string cfg : {"1cpu-s1-p1-d1", "1cpu-s2-p2-d1", "1cpu-s1-p2-d2", "2cpu-s1-p1-d1"}) {
      expect_abstract_covers_exact(meta.name, cfg, smaller_somewhere);
    }
  }
  EXPECT_TRUE(smaller_somewhere);
}

TEST(ProveReduction, ReducesSomething) {
  // Not a speed test: a count. The drain's steps on its own buffer and the producer's on the new one are
  // independent, so far fewer executions are explored than interleavings exist.
  const ProofResult full = run("complete_fix", "1cpu-s1-p2-d2", everything(false));
  const ProofResult reduced = run("complete_fix", "1cpu-s1-p2-d2", everything(true));
  EXPECT_LT(reduced.executions * 10, full.executions);
}

// Shards of one proof, merged, against one search. `expect_no_overlap`: the shards together explore exactly the
// executions one search explores (whole programs dealt out), not more.
void expect_shards_reach_what_one_search_reaches(const std::string& recipe, const std::string& cfg,
                                                 bool expect_no_overlap) {
  SCOPED_TRACE(recipe + " on " + cfg);
  const ProofResult whole = run(recipe, cfg, everything(true));
  ProofResult merged;
  merged.complete = true;
  constexpr unsigned kShards = 3;
  for (unsigned k = 0; k < kShards; ++k) {
    ProofOptions o = everything(true);
    o.shard = k;
    o.shards = kShards;
    o.prefix_branches = 16;
    const ProofResult part = run(recipe, cfg, o);
    EXPECT_GT(part.executions, 0u) << "shard " << k << " got no work";
    merged.merge(part);
  }
  ASSERT_TRUE(whole.complete && merged.complete);
  EXPECT_EQ(verdict_lines(whole), verdict_lines(merged));
  EXPECT_EQ(whole.final_states, merged.final_states);
  if (expect_no_overlap) {
    EXPECT_EQ(merged.executions, whole.executions);
  } else {
    // The split tree is the one search with its first decisions expanded to every runnable thread: a little more
    // work, never each shard redoing the others' (the prefix keeps its sleep sets).
    EXPECT_LE(merged.executions, 2 * whole.executions);
  }
}

TEST(ProveSharding, ShardsTogetherReachWhatOneSearchReaches) {
  for (const std::string& recipe : {std::string("reply_fix"), std::string("complete_fix")}) {
    // One program: its search tree is split.
    expect_shards_reach_what_one_search_reaches(recipe, "2cpu-s1-p2-d2", /*expect_no_overlap=*/false);
    // Sixteen programs (failing refills): whole programs are dealt out.
    expect_shards_reach_what_one_search_reaches(recipe, "1cpu-s1-p2-d2-allocfail", /*expect_no_overlap=*/true);
  }
  // The two configurations that once caught the reduction missing executions (a gate an unlock closes, a lock a
  // flusher must take first): the split prefix keeps those rules too.
  expect_shards_reach_what_one_search_reaches("posted_v2", "1cpu-s2-p2-d1-irq", /*expect_no_overlap=*/false);
  expect_shards_reach_what_one_search_reaches("posted_v2", "1cpu-s1-p1-d1-flush", /*expect_no_overlap=*/false);
}

TEST(ProveCounterexample, ReplaysThroughTheFuzzExecutorToTheSameVerdict) {
  for (const std::string& recipe : {std::string("posted_v2"), std::string("reply_fix")}) {
    SCOPED_TRACE(recipe);
    const ProofResult r = run(recipe, "2cpu-s1-p2-d2", ProofOptions{});
    ASSERT_TRUE(r.counterexample.has_value());
    const ExecFn exec = find_executor(recipe);
    const auto& input = r.counterexample->input;
    const ExecResult replayed = exec(input.data(), input.size(), {.trace = false, .feedback = false});
    EXPECT_EQ(replayed.outcome.line(), r.counterexample->verdict);
    EXPECT_EQ(replayed.outcome.steps, r.counterexample->steps);
  }
}

// A proof as `check` and `dfrace prove` run it: the abstract model first, the exact model when that finds something.
ProofResult run_as_check(const std::string& recipe, const std::string& cfg) {
  const ExecFn exec = find_executor(recipe);
  EXPECT_NE(exec, nullptr) << recipe;
  return prove_abstract_first(exec, config(cfg).programs(), ProofOptions{}, 1).result;
}

// The configurations `check` proves a recipe at: its protocol's (Protocol::kCheckProveConfigs), sized so that a
// search finishes in seconds on that protocol.
std::vector<std::string> check_configs(const RecipeMeta& meta) {
  return {meta.protocol->check_prove_configs.begin(), meta.protocol->check_prove_configs.end()};
}

// The sizes of the programs of the fuzz regression counterexamples recorded for `recipe`.
std::vector<ProgramShape> regression_programs(const std::string& recipe) {
  const char* root = std::getenv("DFRACE_REGRESSIONS");
  EXPECT_NE(root, nullptr) << "DFRACE_REGRESSIONS names fuzz/regressions";
  std::vector<ProgramShape> programs;
  if (root == nullptr || !std::filesystem::is_directory(std::filesystem::path(root) / recipe)) return programs;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(root) / recipe)) {
    if (entry.path().extension() != ".dfrace") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    std::string why;
    const auto finding = decode_finding(bytes, why);
    EXPECT_TRUE(finding.has_value()) << entry.path() << ": " << why;
    if (!finding) continue;
    rt::ChoiceSource choices(finding->input.data(), finding->input.size());
    programs.push_back(shape_of(decode_program(choices)));
  }
  return programs;
}

// A recipe claimed correct is proved at every configuration `check` proves it at. A recipe claimed buggy is
// refuted at one of them, or else every counterexample recorded for it is larger than all of them (a bounded proof
// says nothing about larger programs: v3_aba_once_next's ABA needs three CPUs) — the rule `check` explains such a
// disagreement by (ProgramShape::fits_within).
TEST(ProveAgreement, BuiltInRecipesAreProvedExactlyWhenClaimedCorrect) {
  for (const auto& meta : protocols::all_recipes(false)) {
    SCOPED_TRACE(meta.name);
    std::vector<ProgramShape> explored;
    bool refuted = false;
    for (const std::string& cfg : check_configs(meta)) {
      SCOPED_TRACE(cfg);
      const ProofResult r = run_as_check(meta.name, cfg);
      EXPECT_FALSE(r.diverged || r.model_limit);
      if (meta.claimed_correct) {
        EXPECT_TRUE(r.proved()) << (r.counterexample ? r.counterexample->verdict : "incomplete");
        continue;
      }
      EXPECT_TRUE(r.complete || r.counterexample.has_value());
      if (r.counterexample) {
        refuted = true;
        break;
      }
      for (const Program& p : config(cfg).programs()) explored.push_back(shape_of(p));
    }
    if (meta.claimed_correct || refuted) continue;
    const std::vector<ProgramShape> beyond = regression_programs(meta.name);
    EXPECT_FALSE(beyond.empty()) << "claimed buggy, proved at every check configuration, and no counterexample";
    for (const ProgramShape& program : beyond) {
      for (const ProgramShape& proved : explored) EXPECT_FALSE(program.fits_within(proved)) << program.describe();
    }
  }
}

// Each mutant, at the configurations `check` proves it at, is decided as Relacy decided it.
TEST(ProveAgreement, MutantsAreDecidedAsRelacyDecidedThem) {
  const char* paths = std::getenv("DFRACE_RELACY_EXPECTED");
  ASSERT_NE(paths, nullptr) << "DFRACE_RELACY_EXPECTED names Relacy's expected-verdicts files (':'-separated)";
  nlohmann::json expected = nlohmann::json::object();
  std::stringstream list(paths);
  for (std::string path; std::getline(list, path, ':');) {
    std::ifstream in(path);
    ASSERT_TRUE(in) << path;
    expected.update(nlohmann::json::parse(in).at("recipes"));
  }
  for (const auto& meta : protocols::all_recipes(true)) {
    if (!meta.is_mutant) continue;
    SCOPED_TRACE(meta.name);
    ASSERT_TRUE(expected.contains(meta.name));
    const bool relacy_clean = expected.at(meta.name).at("verdict") == "clean";
    const ExecFn exec = find_executor(meta.name);
    ASSERT_NE(exec, nullptr);
    bool refuted = false;
    for (const std::string& cfg : check_configs(meta)) {
      const ProofResult r = run_as_check(meta.name, cfg);
      EXPECT_FALSE(r.diverged || r.model_limit) << cfg;
      EXPECT_TRUE(r.complete || r.counterexample.has_value()) << cfg;
      if (r.counterexample) {
        EXPECT_FALSE(relacy_clean) << cfg << ": " << r.counterexample->verdict;
        refuted = true;
        break;
      }
    }
    EXPECT_EQ(refuted, !relacy_clean);
  }
}

TEST(ProveConfigNames, RoundTripAndRejectTheImpossible) {
  EXPECT_EQ(config("3cpu-s2-p4-d3-flush-irq-allocfail").name(), "3cpu-s2-p4-d3-flush-irq-allocfail");
  EXPECT_EQ(config("2cpu-s1-p2-d0").programs().size(), 1u);
  EXPECT_EQ(config("2cpu-s1-p2-d2-allocfail").programs().size(), 16u);
  std::string why;
  EXPECT_FALSE(parse_prove_config("5cpu-s1-p2-d2", why));
  EXPECT_NE(why.find("CPUs 5"), std::string::npos) << why;
  EXPECT_FALSE(parse_prove_config("2cpu-s9-p2-d2", why));
  EXPECT_FALSE(parse_prove_config("2cpu-s1-p8-d2", why));
  EXPECT_FALSE(parse_prove_config("2cpu-s1-p2", why));
  EXPECT_FALSE(parse_prove_config("2cpu-s1-p2-d2-bogus", why));
  EXPECT_NE(why.find("bogus"), std::string::npos) << why;
}

TEST(ProgramEncoding, EncodesWhatDecodes) {
  for (const std::string& name : {"1cpu-s1-p0-d0", "4cpu-s4-p7-d7-flush-irq", "3cpu-s2-p4-d3-allocfail"}) {
    for (const Program& p : config(name).programs()) {
      const std::vector<std::uint8_t> bytes = encode_program(p);
      rt::ChoiceSource in(bytes.data(), bytes.size());
      const Program q = decode_program(in);
      EXPECT_EQ(q.describe(), p.describe()) << name;
      EXPECT_TRUE(in.exhausted());
    }
  }
}

}  // namespace
}  // namespace dfrace::fuzz
