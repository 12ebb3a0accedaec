// Footprint: what one step of a virtual thread touched, for the proof mode's partial-order reduction.
//
// Contract
// - A step is what a thread does between two scheduling points. The runtime collects the objects the step reads or
//   writes (a Location, a lock, a work item, a buffer, a thread's lifetime) as it runs; platforms name the objects
//   they own through `Runtime::touch`.
// - Two steps of different threads are *dependent* when they touch one object and at least one of them writes it,
//   or when either is `global` (it did something the runtime cannot name, e.g. an interrupt's hand-over): the
//   explorer then runs them in both orders. Anything not named must be marked global; naming too much only costs
//   reduction, naming too little costs soundness.
// - A footprint holds kMax objects; a step that touches more becomes global (sound, and it never happens with the
//   pool today: a step is one access plus a lock release at most).
#pragma once

#include <cstdint>
#include <initializer_list>

namespace dfrace::rt {

using ObjectId = std::uint32_t;

// Object id spaces: Location ids are small sequential numbers; platform objects (locks, work items, buffers) are
// numbered from kFirstPlatformObject each execution; a few fixed ids name per-thread and per-CPU state.
inline constexpr ObjectId kFirstPlatformObject = 1u << 30;
inline constexpr ObjectId thread_object(int tid) { return 0x7fffff00u + static_cast<ObjectId>(tid); }
inline constexpr ObjectId fixed_object(std::uint32_t k) { return 0x7ffff000u + k; }

// A read names the store it read by its age: 0 = the newest store of the location when it ran, k = k stores
// older; kUnknownStore when the step does not say (a lock, a buffer, or two reads of one object in one step).
inline constexpr std::int8_t kUnknownStore = -1;

// A write names the first store it made by the location's store index (0 = the store the location was built
// with); kUnknownIndex when it is not a Location's store (a lock, a buffer, a work item).
inline constexpr std::uint32_t kUnknownIndex = ~0u;

struct Touch {
  ObjectId object;
  bool write;
  std::int8_t read_age = kUnknownStore;  // reads only (see above)
  bool acquire = false;  // a lock acquisition (a write): it also races with the lock's previous acquisition
  std::uint32_t store_index = kUnknownIndex;  // writes only (see above)
};

struct Footprint {
  static constexpr int kMax = 6;
  Touch touches[kMax];
  std::uint8_t size = 0;
  bool global = false;

  void add(ObjectId object, bool write, std::int8_t read_age = kUnknownStore, std::uint32_t store_index = kUnknownIndex) {
    for (int i = 0; i < size; ++i) {
      if (touches[i].object == object) {
        if (write && !touches[i].write) touches[i].store_index = store_index;  // its first store
        touches[i].write |= write;
        touches[i].read_age = kUnknownStore;  // two accesses in one step: no single store read
        touches[i].acquire = false;           // an acquisition is the step's only touch of its lock
        return;
      }
    }
    if (size == kMax) {
      global = true;
      return;
    }
    touches[size++] = Touch{object, write, write ? kUnknownStore : read_age, false, write ? store_index : kUnknownIndex};
  }
  // Adds another *variant* of the same step (the step run again from the same state, its loads reading other
  // stores): a read named in every variant stays a single named read (read_age 0 marks it; which store differs).
  void add_variant(const Touch& t) {
    const bool named = !t.write && t.read_age != kUnknownStore;
    for (int i = 0; i < size; ++i) {
      if (touches[i].object == t.object) {
        touches[i].write |= t.write;
        if (!named || touches[i].write) touches[i].read_age = kUnknownStore;
        touches[i].acquire = false;
        return;
      }
    }
    if (size == kMax) {
      global = true;
      return;
    }
    touches[size++] = Touch{t.object, t.write, named ? std::int8_t{0} : kUnknownStore};
  }
  void clear() {
    size = 0;
    global = false;
  }
};

// The objects a thread's gate (its extra runnability condition, Runtime::spawn) reads. Every step of the thread
// reads them, so the step that opened the gate comes before the thread's next step; and a step that writes one of
// them while the thread waits is a race with the thread's pending step (it may have closed the gate; Flanagan &
// Godefroid's DPOR checks pending steps for this reason): the thread is then also explored before it.
struct GateObjects {
  static constexpr int kMax = 4;
  ObjectId ids[kMax] = {};
  std::uint8_t size = 0;

  GateObjects() = default;
  GateObjects(std::initializer_list<ObjectId> objects) {
    for (ObjectId o : objects) {
      if (size < kMax) ids[size++] = o;
    }
  }
  bool contains(ObjectId o) const {
    for (int i = 0; i < size; ++i) {
      if (ids[i] == o) return true;
    }
    return false;
  }
};

}  // namespace dfrace::rt
