// Explorer: systematic exploration of every execution of one program on the runtime (the proof mode).
//
// The runtime asks two kinds of question during an execution, the same two the fuzzer's input bytes answer: which
// runnable thread goes next, and which of the visible stores a load reads. The explorer answers them from a *path*
// (the decisions of the execution being replayed, then defaults), and after each execution moves the path to the
// next unexplored decision, depth first, as loom's `rt/path.rs` does. Nothing here knows what the threads do.
//
// Reduction (source-set DPOR: Abdulla, Aronis, Jonsson & Sagonas, "Optimal dynamic partial order reduction",
// POPL 2014, Algorithm 1, without sleep sets): every store choice is explored; a scheduling decision is explored for
// another thread only when an execution showed a *race* that reversing needs it: step e (thread q) and a later
// step e' (thread p) touch a common object, one writes it (footprint.hpp), and e happens before e' only directly
// (no other step orders them). To reverse it, some thread must run first at the state before e that starts the
// sequence v = (the steps after e that do not depend on e, then e'): an *initial* of v. If no initial of v is
// already to be explored there, one is added (p when it is one). With *sleep sets* (Godefroid 1996): after thread u
// was explored from a decision, u sleeps while its sibling t is explored, for as long as every step taken is
// independent of u's step there (its footprint, kept with the decision); a sleeping thread is not run, and an
// execution in which only sleeping threads could run is abandoned (its continuations were explored with u first).
// Executions that differ only in the order of independent steps are then explored once or a few times.
//
// Store floors (a refinement of sleep sets for loads that choose among stores): a sleeping thread u whose next step
// is one load of X, naming the store it reads, is *not* made dependent on a step f whose only conflict with it is a
// store to X. u's variants that read a store older than f's commute with f: run before f, each could read that same
// store (u has not run since, so its coherence point and clock are unchanged, and the store was already there), and
// f changes nothing u's load reads. So they still move to where u fell asleep, where u was explored already; only
// the variants reading f's store or a newer one are new. u wakes with a *floor*: its load is given only the stores
// from f's on (the choice indices keep their meaning, so decisions still replay as input bytes). The floor lasts
// while every further step commutes with the older variants (stores to X do; any other conflict lifts it) and is
// spent when u runs. Without floors the search explored, e.g., both "the drain reads count = 0, then the producer
// stores 1" and "the producer stores 1, then the drain reads the older 0", one execution twice.
// `reduce = false` explores every runnable thread at every decision: the reference the reduction is tested against.
//
// Sharding: with `shards` > 1, the first `prefix_branches` decisions explore every runnable thread (a superset of
// any source set, so still a sound reduced search) and their combinations (the "leaves" of the prefix) are dealt
// round-robin; shard k explores the subtrees of the leaves numbered k mod shards. Sleep sets run through the prefix
// as in one search: a leaf's subtree is explored with the siblings before it asleep, whether or not this shard
// explored them, so the shards' union is exactly the one search with that prefix expanded, and no subtree is
// explored twice. Every shard computes the same prefix (the search is deterministic, and a step's footprint at a
// decision is the same in every execution through it). A shard still runs one probe execution per foreign leaf
// to learn the prefix's shape; probes are not counted (`counted()`). Without the prefix's sleep sets (before),
// each leaf redid its earlier siblings' work: 2.3 M executions per shard where one search takes 10 k.
//
// Contract
// - begin_execution() before each execution, execution_done() after it, then advance() (false: nothing left).
// - The program must be deterministic given the answers: a replayed decision that finds a different set of choices
//   sets diverged() (an internal error of the caller; the search is then not trustworthy).
// - choice_bytes() is the last execution as ChoiceSource bytes: replaying them with the fuzz executor gives the
//   same execution (one byte per decision with two or more choices, the chosen index).
#pragma once

#include <cstdint>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "rt/footprint.hpp"
#include "rt/vector_clock.hpp"

namespace dfrace::rt {

struct ExplorerOptions {
  bool reduce = true;
  // The reads-from refinement (class comment): a load that names the store it read depends on that store only.
  bool reads_from = true;
  // Store floors (class comment): a sleeping load woken only by a newer store explores only that store and newer.
  bool store_floors = true;
  unsigned shard = 0;
  unsigned shards = 1;
  unsigned prefix_branches = 0;  // decisions fully expanded and dealt out (only with shards > 1)
};

class Explorer {
 public:
  explicit Explorer(ExplorerOptions options);

  // --- the runtime, during one execution ---
  void begin_execution();
  // n >= 2 runnable threads, in the runtime's order (the running thread first when it can go on). Returns the index
  // of the one to run, or kAbandon when every one of them sleeps (the runtime then ends the execution unjudged).
  static constexpr unsigned kAbandon = ~0u;
  unsigned pick(const int* candidates, unsigned n);
  unsigned forced(int tid);  // one thread could run: 0, or kAbandon when it sleeps
  unsigned read(unsigned n);  // n >= 2 choices (a platform's), 0 = the default
  // Thread `tid` loads Location `object`: n >= 2 visible stores, 0 = the newest (store index `newest`). A thread
  // woken by a newer store (the class comment) is given only the stores from that one on.
  unsigned read_store(unsigned n, int tid, ObjectId object, std::uint32_t newest);
  void step_done(int tid, const Footprint& footprint, std::uint32_t unfinished_threads);
  void set_gate(int tid, const GateObjects& objects) { gate_[tid] = objects; }
  // Threads that never finished (a finding or a deadlock ended the execution): their next step is unknown and is
  // taken to conflict with everything.
  void execution_done(std::uint32_t unfinished_threads);

  // --- the driver, between executions ---
  bool advance();
  bool counted() const { return leaf_owned_; }
  bool diverged() const { return diverged_; }
  std::vector<std::uint8_t> choice_bytes() const;
  std::size_t depth() const { return path_.size(); }
  std::size_t steps() const { return steps_.size(); }

 private:
  struct Branch {
    bool schedule = false;
    std::uint8_t n = 0;
    std::uint8_t limit = 0;  // read: the choices explored, the first `limit` of n (a store floor, see read_store)
    std::uint8_t chosen = 0;
    std::uint8_t candidates = 0;  // schedule: bit t = thread t could run
    std::uint8_t backtrack = 0;   // schedule: threads to run from here
    std::uint8_t done = 0;        // schedule: threads already run from here
    std::uint8_t sleep = 0;       // schedule: threads asleep on arrival (not to be run here)
    std::int8_t order[kMaxThreads] = {};  // schedule: candidate order of the runtime
    // schedule: the next step of each thread asleep on arrival, and of each thread explored from here (the union
    // of its variants, which differ by the stores its loads read).
    Footprint step[kMaxThreads];
  };
  struct Step {
    std::int8_t tid = 0;
    std::int32_t branch = -1;  // the scheduling decision that chose this step (-1: none possible)
    std::uint32_t local = 0;   // this thread's step number, from 1
    VectorClock clock;         // dependence order: steps of each thread that happen before this one
  };
  static constexpr int kWriteAges = 8;  // the runtime's store history (Location::kHistory)
  struct ObjectState {
    ObjectState() {
      std::fill(std::begin(last_read), std::end(last_read), -1);
      std::fill(std::begin(writes), std::end(writes), -1);
    }
    std::int32_t writes[kWriteAges];  // the latest writes, newest first: writes[0] is the last write
    std::int32_t last_read[kMaxThreads];  // since writes[0]
    std::int32_t last_acquire = -1;       // locks: the latest acquisition
  };
  // A thread woken from sleep by a newer store only (Bearing::kNewerStore): its next step is the load it slept on,
  // and only the variants that read `min_index` or a newer store of `object` are new. Lifted when another step
  // bears on that step otherwise (it may then no longer move to where it slept), and spent when the step runs.
  struct StoreFloor {
    bool active = false;
    ObjectId object = 0;
    std::uint32_t min_index = 0;
    Footprint step;  // the slept-on step
  };
  enum class Bearing : std::uint8_t { kIndependent, kNewerStore, kDependent };
  struct Dependence {
    std::int32_t step;
    bool race;  // a race to reverse; false: an order the explored choices already cover (reads-from)
  };

  void reverse_race(std::int32_t earlier, std::int32_t later);
  void reverse_pending_races(int tid, const Footprint& f, std::int32_t branch, std::uint32_t unfinished);
  bool happens_before(std::int32_t a, std::int32_t b) const;
  void note_access(const ObjectState& state, const Touch& touch, int tid, std::vector<Dependence>& dependent) const;
  static void record(ObjectState& state, bool write, int tid, std::int32_t step);
  bool is_prefix(std::size_t branch) const { return branch < prefix_; }
  unsigned choose_at(std::size_t branch);
  // A decision among n choices of which the first `limit` are explored (read and read_store).
  unsigned read_branch(unsigned n, unsigned limit);
  // How step `f` bears on a sleeping thread's next step `s`; kNewerStore: f's only conflict with s is a store to
  // one object s loads once, naming the store read: s's variants reading older stores commute with f
  // (`object`, `first_index`: that object and f's first store to it).
  static Bearing bearing(const Footprint& s, const Footprint& f, ObjectId* object, std::uint32_t* first_index);

  ExplorerOptions options_;
  std::size_t prefix_;
  std::vector<Branch> path_;
  std::size_t pos_ = 0;
  std::int32_t pending_branch_ = -1;
  // Sleep set: carried from step to step; `pending_sleep_` is the set the next step filters.
  std::uint8_t sleep_ = 0;
  std::uint8_t pending_sleep_ = 0;
  Footprint sleep_step_[kMaxThreads];
  StoreFloor floor_[kMaxThreads];
  bool diverged_ = false;
  std::uint64_t leaf_ = 0;
  bool leaf_owned_ = true;

  // Dependence bookkeeping of the current execution.
  std::vector<Step> steps_;
  absl::flat_hash_map<ObjectId, ObjectState> objects_;
  ObjectState everything_;  // every step reads it, a global step writes it
  std::vector<Dependence> dependent_;  // scratch: the steps the step being recorded depends on
  VectorClock thread_clock_[kMaxThreads];
  GateObjects gate_[kMaxThreads];
  std::int32_t last_step_[kMaxThreads];
};

}  // namespace dfrace::rt
