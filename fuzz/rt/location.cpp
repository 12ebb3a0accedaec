#include "rt/location.hpp"

#include <algorithm>
#include <string_view>

namespace dfrace::rt {
namespace {

// The kernel's name of a read-modify-write: "xchg_release", "cmpxchg" (fully ordered).
std::string rmw_name(bool cas, Order order) {
  std::string name = cas ? "cmpxchg" : "xchg";
  switch (order) {
    case Order::kRelaxed: return name + "_relaxed";
    case Order::kAcquire: return name + "_acquire";
    case Order::kRelease: return name + "_release";
    default: return name;
  }
}

}  // namespace

Location::Location(std::uint64_t initial, ValueFormat format) : format_(format) {
  Runtime& rt = Runtime::get();
  id_ = rt.next_location_id();
  StoreRec& s = stores_.rec[0];
  s.value = initial;
  s.number = rt.dead() ? 0 : rt.next_store_number();
  s.tid = static_cast<std::int8_t>(rt.current());
  s.epoch = rt.current() >= 0 && !rt.dead() ? rt.epoch() : 0;
  s.has_clock = false;
  count_ = 1;
}

const std::string& Location::label(std::uint16_t site) {
  if (!label_.empty()) return label_;
  // The field a site touches is the word after the dot: "enqueue.count_check" -> "count".
  std::string name = Runtime::get().site_name(site);
  auto dot = name.find('.');
  std::string field = dot == std::string::npos ? name : name.substr(dot + 1);
  field = field.substr(0, field.find('_'));
  label_ = field + "@" + std::to_string(id_);
  return label_;
}

void Location::check_race(Runtime& rt, std::uint16_t site, bool write, bool plain) {
  const int self = rt.current();
  const VectorClock& c = rt.clock();
  auto racing = [&](const AccessRec& r, int tid) { return r.epoch != 0 && !c.covers(tid, r.epoch); };
  // The access that completes the race is shown in the timeline too, with the access it races with.
  auto report = [&](const AccessRec& other, int tid) {
    if (rt.tracing()) {
      Event e;
      e.tid = self;
      e.kind = EventKind::kRace;
      e.site = rt.site_name(site);
      e.location = label(site);
      e.write = write;
      e.other_site = rt.site_name(other.site);
      e.other_tid = tid;
      rt.record(std::move(e));
    }
    rt.race(race_pair(rt.site_name(site), rt.site_name(other.site)));
  };
  // Only threads that ever accessed this location can race with this access (the others' records are empty);
  // visited in thread order, as a full scan would, so the first race reported is the same.
  for (unsigned m = accessors_ & ~(1u << self); m != 0; m &= m - 1) {
    const int t = __builtin_ctz(m);
    const AccessRec& w = plain ? w_any_[t] : w_plain_[t];
    if (racing(w, t)) report(w, t);
    if (write) {
      const AccessRec& r = plain ? r_any_[t] : r_plain_[t];
      if (racing(r, t)) report(r, t);
    }
  }
}

void Location::note_access(Runtime& rt, std::uint16_t site, bool write, bool plain) {
  const int self = rt.current();
  const AccessRec rec{rt.epoch(), site};
  accessors_ |= static_cast<std::uint8_t>(1u << self);
  if (write) {
    w_any_[self] = rec;
    if (plain) w_plain_[self] = rec;
  } else {
    r_any_[self] = rec;
    if (plain) r_plain_[self] = rec;
  }
}

std::uint64_t Location::load(std::uint16_t site, Order order) {
  Runtime& rt = Runtime::get();
  if (rt.dead()) return newest();
  const int self = rt.current();
  const bool plain = order == Order::kPlain;
  const int read_touch = rt.touch_read_begin(id_);
  check_race(rt, site, /*write=*/false, plain);

  const std::uint32_t newest_index = count_ - 1;
  const std::uint32_t oldest_kept = count_ > kHistory ? count_ - kHistory : 0;
  std::uint32_t pick = newest_index;
  bool stale = false;
  if (!plain || !rt.races_fatal()) {
    // Lower bound: coherence (what this thread saw) and the newest store that happens-before this load.
    std::uint32_t lo = std::max(seen_[self], oldest_kept);
    const VectorClock& c = rt.clock();
    std::uint32_t i = newest_index;
    bool bounded = true;  // found a store the load cannot read past
    for (; i > lo; --i) {
      const StoreRec& s = stores_.rec[i % kHistory];
      if (s.tid < 0 || s.tid == self || c.covers(s.tid, s.epoch)) break;
    }
    if (i == lo && lo == oldest_kept && oldest_kept > seen_[self]) {
      const StoreRec& s = stores_.rec[i % kHistory];
      bounded = s.tid < 0 || s.tid == self || c.covers(s.tid, s.epoch);
    }
    // A store older than the history could still be legal here: the model is cut short (the proof mode refuses
    // such a proof; the fuzzer just sees fewer stale values).
    if (!bounded) rt.hit_model_limit(ModelLimit::kStoreHistory);
    lo = i;
    pick = newest_index - rt.choose_store(newest_index - lo + 1, id_, newest_index);
    stale = pick != newest_index;
  }
  rt.touch_read_age(read_touch, newest_index - pick);
  const StoreRec& s = stores_.rec[pick % kHistory];
  seen_[self] = std::max(seen_[self], pick);
  if (s.has_clock) {
    if (order == Order::kAcquire) {
      rt.clock().join(s.clock);
    } else if (order == Order::kRelaxed) {
      rt.acquire_pending().join(s.clock);  // an acquire fence later in this thread synchronizes with it
    }
  }
  note_access(rt, site, false, plain);
  rt.feedback(last_site_, site, last_tid_ != self, stale);
  last_tid_ = static_cast<std::int8_t>(self);
  last_site_ = site;
  if (rt.tracing()) {
    Event e;
    e.tid = self;
    e.kind = EventKind::kLoad;
    e.site = rt.site_name(site);
    e.location = label(site);
    e.value = format_(s.value);
    e.store_no = s.number;
    e.from_tid = s.tid;
    e.stale = stale;
    e.synchronizes = s.has_clock && order == Order::kAcquire;
    rt.record(std::move(e));
  }
  rt.tick();
  return s.value;
}

void Location::store(std::uint16_t site, std::uint64_t value, Order order) {
  Runtime& rt = Runtime::get();
  if (rt.dead()) {
    stores_.rec[count_++ % kHistory].value = value;
    return;
  }
  const int self = rt.current();
  const bool plain = order == Order::kPlain;
  rt.touch_store(id_, count_);
  check_race(rt, site, /*write=*/true, plain);
  StoreRec& s = stores_.rec[count_ % kHistory];
  s.value = value;
  s.number = rt.next_store_number();
  s.epoch = rt.epoch();
  s.tid = static_cast<std::int8_t>(self);
  s.has_clock = false;
  if (order == Order::kRelease) {
    s.has_clock = true;
    s.clock = rt.clock();
  } else if (order == Order::kRelaxed) {
    if (const VectorClock* f = rt.fence_release_clock()) {
      s.has_clock = true;
      s.clock = *f;
    }
  }
  seen_[self] = count_;
  ++count_;
  note_access(rt, site, true, plain);
  rt.feedback(last_site_, site, last_tid_ != self, false);
  last_tid_ = static_cast<std::int8_t>(self);
  last_site_ = site;
  if (rt.tracing()) {
    Event e;
    e.tid = self;
    e.kind = EventKind::kStore;
    e.site = rt.site_name(site);
    e.location = label(site);
    e.value = format_(value);
    e.store_no = s.number;
    rt.record(std::move(e));
  }
  rt.tick();
}


std::uint64_t Location::exchange(std::uint16_t site, std::uint64_t value, Order order) {
  std::uint64_t read = 0;
  read_modify_write(site, /*cas=*/false, 0, value, order, read);
  return read;
}

bool Location::compare_exchange(std::uint16_t site, std::uint64_t& expected, std::uint64_t desired, Order order) {
  std::uint64_t read = 0;
  const bool stored = read_modify_write(site, /*cas=*/true, expected, desired, order, read);
  expected = read;
  return stored;
}

bool Location::read_modify_write(std::uint16_t site, bool cas, std::uint64_t expected, std::uint64_t desired,
                                 Order order, std::uint64_t& read) {
  Runtime& rt = Runtime::get();
  const std::uint32_t newest_index = count_ - 1;
  read = stores_.rec[newest_index % kHistory].value;
  const bool stores = !cas || read == expected;
  if (rt.dead()) {
    if (stores) stores_.rec[count_++ % kHistory].value = desired;
    return stores;
  }
  const int self = rt.current();
  // For a proof's reduction: a store is a write of the location (ordered with every access of it, so the explorer
  // runs it both ways against them); a failed compare-exchange reads the newest store, which an earlier or later
  // store changes, so it names no store (Touch::read_age) and every store's order with it is explored too.
  if (stores) {
    rt.touch_store(id_, count_);
  } else {
    rt.touch(id_, /*write=*/false);
  }
  check_race(rt, site, /*write=*/stores, /*plain=*/false);
  const StoreRec& from = stores_.rec[newest_index % kHistory];  // never the slot a store below reuses (kHistory > 1)
  const bool full = stores && order == Order::kSeqCst;
  const bool acquire = stores && (order == Order::kAcquire || full);
  if (full) rt.fence_effect(true, true, true);  // smp_mb() before
  if (from.has_clock) {
    if (acquire) {
      rt.clock().join(from.clock);
    } else {
      rt.acquire_pending().join(from.clock);  // relaxed: an acquire fence later in this thread synchronizes with it
    }
  }
  seen_[self] = std::max(seen_[self], newest_index);
  std::uint32_t store_no = 0;
  if (stores) {
    StoreRec& s = stores_.rec[count_ % kHistory];
    // The release sequence of the store read continues through this one, and a release adds its own clock.
    s.has_clock = from.has_clock;
    if (from.has_clock) s.clock = from.clock;
    const VectorClock* own = order == Order::kRelease || full ? &rt.clock() : rt.fence_release_clock();
    if (own != nullptr) {
      if (s.has_clock) {
        s.clock.join(*own);
      } else {
        s.clock = *own;
        s.has_clock = true;
      }
    }
    s.value = desired;
    s.number = store_no = rt.next_store_number();
    s.epoch = rt.epoch();
    s.tid = static_cast<std::int8_t>(self);
    seen_[self] = count_;
    ++count_;
  }
  if (full) rt.fence_effect(true, true, true);  // smp_mb() after
  note_access(rt, site, /*write=*/stores, /*plain=*/false);
  rt.feedback(last_site_, site, last_tid_ != self, false);
  last_tid_ = static_cast<std::int8_t>(self);
  last_site_ = site;
  if (rt.tracing()) {
    const StoreRec& r = stores_.rec[newest_index % kHistory];
    Event e;
    e.tid = self;
    e.kind = EventKind::kRmw;
    e.site = rt.site_name(site);
    e.location = label(site);
    e.note = rmw_name(cas, order);
    e.old_value = format_(read);
    e.value = format_(stores ? desired : expected);
    e.read_store_no = r.number;
    e.store_no = store_no;
    e.from_tid = r.tid;
    e.stored = stores;
    e.synchronizes = acquire && r.has_clock;
    rt.record(std::move(e));
  }
  rt.tick();
  return stores;
}

}  // namespace dfrace::rt
