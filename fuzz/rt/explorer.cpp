#include "rt/explorer.hpp"

#include <algorithm>

namespace dfrace::rt {
namespace {
std::uint8_t bit(int tid) { return static_cast<std::uint8_t>(1u << tid); }
}  // namespace

Explorer::Explorer(ExplorerOptions options)
    : options_(options), prefix_(options.shards > 1 ? options.prefix_branches : 0) {
  if (options_.shards == 0) options_.shards = 1;
  leaf_owned_ = options_.shard % options_.shards == 0;
}

void Explorer::begin_execution() {
  for (GateObjects& g : gate_) g = GateObjects{};
  pos_ = 0;
  pending_branch_ = -1;
  sleep_ = pending_sleep_ = 0;
  for (StoreFloor& f : floor_) f.active = false;
  steps_.clear();
  objects_.clear();
  everything_ = ObjectState{};
  for (int t = 0; t < kMaxThreads; ++t) {
    thread_clock_[t] = VectorClock{};
    last_step_[t] = -1;
  }
}

unsigned Explorer::pick(const int* candidates, unsigned n) {
  std::uint8_t mask = 0;
  for (unsigned i = 0; i < n; ++i) mask |= bit(candidates[i]);
  if (pos_ < path_.size()) {  // replaying
    const Branch& b = path_[pos_];
    if (!b.schedule || b.n != n || b.candidates != mask || !std::equal(candidates, candidates + n, b.order)) {
      diverged_ = true;
      return 0;
    }
    return choose_at(pos_++);
  }
  Branch b;
  b.schedule = true;
  b.n = static_cast<std::uint8_t>(n);
  b.candidates = mask;
  std::copy(candidates, candidates + n, b.order);
  b.sleep = options_.reduce ? sleep_ : 0;
  for (int t = 0; t < kMaxThreads; ++t) {
    if ((b.sleep >> t) & 1u) b.step[t] = sleep_step_[t];
  }
  // The default: the running thread goes on when it can (index 0), else the first thread awake.
  unsigned first = 0;
  while (first < n && ((b.sleep >> candidates[first]) & 1u)) ++first;
  if (first == n) return kAbandon;
  b.chosen = static_cast<std::uint8_t>(first);
  b.backtrack = b.done = bit(candidates[first]);
  path_.push_back(b);
  return choose_at(pos_++);
}

// Runs the branch's chosen thread: what sleeps during its step is what slept on arrival plus the siblings explored
// before it (the step then wakes those it depends on, in step_done).
unsigned Explorer::choose_at(std::size_t index) {
  const Branch& b = path_[index];
  const int chosen = b.order[b.chosen];
  pending_branch_ = static_cast<std::int32_t>(index);
  pending_sleep_ = static_cast<std::uint8_t>((b.sleep | b.done) & ~bit(chosen));
  if (!options_.reduce) pending_sleep_ = 0;
  for (int t = 0; t < kMaxThreads; ++t) {
    if ((pending_sleep_ >> t) & 1u) sleep_step_[t] = b.step[t];
  }
  return b.chosen;
}

unsigned Explorer::forced(int tid) {
  pending_branch_ = -1;
  if ((sleep_ >> tid) & 1u) return kAbandon;
  pending_sleep_ = sleep_;
  return 0;
}

Explorer::Bearing Explorer::bearing(const Footprint& s, const Footprint& f, ObjectId* object,
                                    std::uint32_t* first_index) {
  if (s.global || f.global) return Bearing::kDependent;
  Bearing result = Bearing::kIndependent;
  for (int i = 0; i < s.size; ++i) {
    const Touch& a = s.touches[i];
    for (int j = 0; j < f.size; ++j) {
      const Touch& b = f.touches[j];
      if (a.object != b.object || !(a.write || b.write)) continue;
      const bool newer_store = !a.write && a.read_age != kUnknownStore && b.store_index != kUnknownIndex;
      if (!newer_store || result != Bearing::kIndependent) return Bearing::kDependent;
      result = Bearing::kNewerStore;
      *object = b.object;
      *first_index = b.store_index;
    }
  }
  return result;
}

unsigned Explorer::read(unsigned n) { return read_branch(n, n); }

// The choices keep their meaning (index k = the k-th newest store) so that the decisions replay as input bytes:
// a floor only shortens what is explored, to the stores at and after it.
unsigned Explorer::read_store(unsigned n, int tid, ObjectId object, std::uint32_t newest) {
  unsigned limit = n;
  const StoreFloor& f = floor_[tid];
  if (f.active && f.object == object && newest >= f.min_index) limit = std::min(n, newest - f.min_index + 1);
  return read_branch(n, limit);
}

unsigned Explorer::read_branch(unsigned n, unsigned limit) {
  if (pos_ < path_.size()) {
    const Branch& b = path_[pos_++];
    if (b.schedule || b.n != n || b.limit != limit) diverged_ = true;
    return b.chosen < n ? b.chosen : 0;
  }
  Branch b;
  b.n = static_cast<std::uint8_t>(n);
  b.limit = static_cast<std::uint8_t>(limit);
  path_.push_back(b);
  ++pos_;
  return 0;
}

// The earlier steps of other threads one access of the step being recorded depends on. A write depends on the
// last write (their order is the modification order) and on the reads since (reversed, they may read it). A read
// depends on the write it read from, and that order needs no reversal: run after the newer writes, the load could
// already read every store it could read before them (they do not happen-before it, or it could not read past
// them), and each choice is explored. Reads that name no store fall back to the last write, as a race.
void Explorer::note_access(const ObjectState& state, const Touch& touch, int tid,
                           std::vector<Dependence>& dependent) const {
  auto depend_on = [&](std::int32_t i, bool race) {
    if (i >= 0 && steps_[static_cast<std::size_t>(i)].tid != tid) dependent.push_back(Dependence{i, race});
  };
  if (touch.write) {
    depend_on(state.writes[0], true);
    for (std::int32_t r : state.last_read) depend_on(r, true);
  } else if (options_.reads_from && touch.read_age != kUnknownStore) {
    if (touch.read_age < kWriteAges) depend_on(state.writes[touch.read_age], false);
  } else {
    depend_on(state.writes[0], true);
  }
}

void Explorer::record(ObjectState& state, bool write, int tid, std::int32_t step) {
  if (write) {
    std::copy_backward(state.writes, state.writes + kWriteAges - 1, state.writes + kWriteAges);
    state.writes[0] = step;
    std::fill(std::begin(state.last_read), std::end(state.last_read), -1);
  } else {
    state.last_read[tid] = step;
  }
}

bool Explorer::happens_before(std::int32_t a, std::int32_t b) const {
  const Step& x = steps_[static_cast<std::size_t>(a)];
  return steps_[static_cast<std::size_t>(b)].clock.covers(x.tid, x.local);
}

void Explorer::step_done(int tid, const Footprint& f, std::uint32_t unfinished) {
  Step s;
  s.tid = static_cast<std::int8_t>(tid);
  s.branch = pending_branch_;
  if (options_.reduce) reverse_pending_races(tid, f, pending_branch_, unfinished);
  if (pending_branch_ >= 0) {  // the footprint of this thread's step from that decision, over all its variants
    Footprint& known = path_[static_cast<std::size_t>(pending_branch_)].step[tid];
    known.global |= f.global;
    for (int i = 0; i < f.size; ++i) known.add_variant(f.touches[i]);
  }
  pending_branch_ = -1;
  // Sleepers: a step independent of a sleeper's next step leaves it asleep; a newer store to what it loads wakes
  // it with a floor (its older-store variants still commute with every step since it fell asleep); anything else
  // wakes it. A floor lasts while the steps taken commute with its older-store variants.
  floor_[tid].active = false;
  for (int t = 0; t < kMaxThreads; ++t) {
    if (t == tid || !floor_[t].active) continue;
    ObjectId object = 0;
    std::uint32_t first = 0;
    if (bearing(floor_[t].step, f, &object, &first) == Bearing::kDependent) floor_[t].active = false;
  }
  sleep_ = 0;
  for (int t = 0; t < kMaxThreads; ++t) {
    if (!((pending_sleep_ >> t) & 1u)) continue;
    ObjectId object = 0;
    std::uint32_t first = 0;
    switch (bearing(sleep_step_[t], f, &object, &first)) {
      case Bearing::kIndependent:
        sleep_ |= bit(t);
        break;
      case Bearing::kNewerStore:
        if (options_.reads_from && options_.store_floors) {
          StoreFloor& floor = floor_[t];
          if (!floor.active || floor.object != object) {
            floor = StoreFloor{true, object, first, sleep_step_[t]};
          } else {
            floor.min_index = std::max(floor.min_index, first);
          }
        }
        break;
      case Bearing::kDependent:
        break;
    }
  }
  pending_sleep_ = sleep_;
  dependent_.clear();
  note_access(everything_, Touch{0, f.global}, tid, dependent_);
  for (int i = 0; i < f.size; ++i) {
    auto it = objects_.find(f.touches[i].object);
    if (it != objects_.end()) note_access(it->second, f.touches[i], tid, dependent_);
  }
  const VectorClock before = thread_clock_[tid];
  VectorClock after = before;
  for (const Dependence& d : dependent_) after.join(steps_[static_cast<std::size_t>(d.step)].clock);
  s.local = before.c[tid] + 1;
  after.c[tid] = s.local;
  s.clock = after;
  const auto index = static_cast<std::int32_t>(steps_.size());
  steps_.push_back(s);
  thread_clock_[tid] = after;
  last_step_[tid] = index;
  // A lock acquisition races with the lock's previous acquisition by another thread: to take the lock first, this
  // thread must run before that one took it, not merely before it released it (when it could not run).
  std::int32_t previous_acquire[Footprint::kMax];
  for (int i = 0; i < f.size; ++i) {
    previous_acquire[i] = -1;
    if (!f.touches[i].acquire) continue;
    auto it = objects_.find(f.touches[i].object);
    if (it != objects_.end()) previous_acquire[i] = it->second.last_acquire;
  }
  record(everything_, f.global, tid, index);
  for (int i = 0; i < f.size; ++i) {
    ObjectState& state = objects_[f.touches[i].object];
    record(state, f.touches[i].write, tid, index);
    if (f.touches[i].acquire) state.last_acquire = index;
  }
  for (int i = 0; i < f.size; ++i) {
    const std::int32_t a = previous_acquire[i];
    if (a < 0) continue;
    const Step& e = steps_[static_cast<std::size_t>(a)];
    if (e.tid != tid && !before.covers(e.tid, e.local)) reverse_race(a, index);
  }
  // Races: dependent steps not already ordered before this one by the thread's past, nor by another of them.
  for (const Dependence& d : dependent_) {
    if (!d.race) continue;
    const Step& e = steps_[static_cast<std::size_t>(d.step)];
    if (before.covers(e.tid, e.local)) continue;
    bool direct = true;
    for (const Dependence& other : dependent_) {
      if (other.step != d.step && happens_before(d.step, other.step)) {
        direct = false;
        break;
      }
    }
    if (direct) reverse_race(d.step, index);
  }
}

// A step that writes an object another unfinished thread's gate reads may have closed that gate: the thread's
// pending step races with it, and if the thread could run before it, it is explored there too.
void Explorer::reverse_pending_races(int tid, const Footprint& f, std::int32_t branch, std::uint32_t unfinished) {
  if (branch < 0) return;
  Branch& b = path_[static_cast<std::size_t>(branch)];
  for (int p = 0; p < kMaxThreads; ++p) {
    if (p == tid || !((unfinished >> p) & 1u) || gate_[p].size == 0 || !((b.candidates >> p) & 1u)) continue;
    bool closes = f.global;
    for (int i = 0; i < f.size && !closes; ++i) closes = f.touches[i].write && gate_[p].contains(f.touches[i].object);
    if (closes) b.backtrack |= bit(p);
  }
}

void Explorer::execution_done(std::uint32_t unfinished) {
  for (int tid = 0; tid < kMaxThreads; ++tid) {
    if (!((unfinished >> tid) & 1u)) continue;
    // Its next step is unknown and taken to conflict with everything: it races with the latest step of each other
    // thread it does not already follow. Recorded as a step for as long as its races are reversed, then removed,
    // so that each unfinished thread is judged against the execution alone.
    const std::size_t steps = steps_.size();
    const ObjectState everything_before = everything_;
    const VectorClock clock_before = thread_clock_[tid];
    const std::int32_t last_before = last_step_[tid];
    Footprint everything;
    everything.global = true;
    pending_branch_ = -1;
    step_done(tid, everything, unfinished);
    steps_.resize(steps);
    everything_ = everything_before;
    thread_clock_[tid] = clock_before;
    last_step_[tid] = last_before;
  }
}

// Makes sure some initial of v = (steps after `earlier` not depending on it, then `later`) is explored at the
// state before `earlier` (see the class comment).
void Explorer::reverse_race(std::int32_t earlier, std::int32_t later) {
  const std::int32_t branch = steps_[static_cast<std::size_t>(earlier)].branch;
  if (branch < 0) return;  // nothing else could run there
  Branch& b = path_[static_cast<std::size_t>(branch)];
  std::int32_t v[512];
  std::size_t n = 0;
  bool fits = true;
  for (std::int32_t k = earlier + 1; k <= later; ++k) {
    if (k != later && happens_before(earlier, k)) continue;
    if (n == std::size(v)) {
      fits = false;
      break;
    }
    v[n++] = k;
  }
  std::uint8_t initials = 0;
  if (fits) {
    for (std::size_t a = 0; a < n; ++a) {
      const int t = steps_[static_cast<std::size_t>(v[a])].tid;
      bool first_of_thread = true, preceded = false;
      for (std::size_t c = 0; c < a && first_of_thread && !preceded; ++c) {
        if (steps_[static_cast<std::size_t>(v[c])].tid == t) first_of_thread = false;
        else if (happens_before(v[c], v[a])) preceded = true;
      }
      if (first_of_thread && !preceded) initials |= bit(t);
    }
  }
  initials &= b.candidates;
  if (initials == 0) {  // (a long v, or no initial could run there): every thread that could
    b.backtrack |= b.candidates;
    return;
  }
  if (b.backtrack & initials) return;
  const int p = steps_[static_cast<std::size_t>(later)].tid;
  b.backtrack |= (initials & bit(p)) ? bit(p) : bit(__builtin_ctz(initials));
}

bool Explorer::advance() {
  while (!path_.empty()) {
    const std::size_t k = path_.size() - 1;
    Branch& b = path_.back();
    const bool prefix = is_prefix(k);
    if (leaf_owned_ || prefix) {
      bool moved = false;
      if (!b.schedule) {
        if (b.chosen + 1 < b.limit) {
          ++b.chosen;
          moved = true;
        }
      } else {
        const std::uint8_t wanted = (options_.reduce && !prefix) ? b.backtrack : b.candidates;
        const std::uint8_t todo = wanted & b.candidates & static_cast<std::uint8_t>(~(b.done | b.sleep));
        if (todo != 0) {
          const int tid = __builtin_ctz(todo);
          b.done |= bit(tid);
          b.chosen = static_cast<std::uint8_t>(std::find(b.order, b.order + b.n, tid) - b.order);
          moved = true;
        }
      }
      if (moved) {
        if (prefix) {
          ++leaf_;
          leaf_owned_ = leaf_ % options_.shards == options_.shard;
        }
        return true;
      }
    }
    path_.pop_back();
  }
  return false;
}

std::vector<std::uint8_t> Explorer::choice_bytes() const {
  std::vector<std::uint8_t> out;
  out.reserve(path_.size());
  for (const Branch& b : path_) out.push_back(b.chosen);
  while (!out.empty() && out.back() == 0) out.pop_back();  // an exhausted input decides 0 anyway
  return out;
}

}  // namespace dfrace::rt
