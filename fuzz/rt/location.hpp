// Location: one shared memory location under the weak-memory model of docs/semantics.md §2, with its data-race check.
//
// Contract
// - Stores are kept in modification order (= execution order), each with value, writer, epoch and, for a release
//   store or a relaxed store after a release fence, the clock it publishes. The newest kHistory stores are kept.
// - A relaxed/acquire load may read any store not older than the thread's coherence point (seen[T]) and not older
//   than the newest store that happens-before it; the input chooses (default: newest). Plain loads read the newest
//   (any other candidate is unordered, so the access is reported as a race anyway).
// - A read-modify-write (exchange, compare-exchange) reads the newest store, never a stale one (no choice is read
//   from the input), and a successful one appends its store. Its store carries the clock of the store it read
//   (C++20 release sequences: a relaxed RMW passes a release on) joined with its own if it releases (or after a
//   release fence); an acquiring RMW acquires what it read. kSeqCst (the kernel's fully ordered xchg/cmpxchg) is
//   also an smp_mb on each side (Runtime::fence_effect). A failed compare-exchange is a relaxed load of the newest
//   store: it orders nothing. For the race check an RMW is a marked write, a failed one a marked read.
// - Race check (FastTrack-like, per thread last plain/any read and write): a plain access conflicting with any
//   unordered access, or a marked access conflicting with an unordered plain one, is `data race: A vs B`.
#pragma once

#include <cstdint>

#include "rt/runtime.hpp"

namespace dfrace::rt {

// kSeqCst: read-modify-writes only (loads and stores have no seq_cst form in the recipes).
enum class Order : std::uint8_t { kPlain, kRelaxed, kAcquire, kRelease, kSeqCst };

class Location {
 public:
  static constexpr int kHistory = 8;

  Location(std::uint64_t initial, ValueFormat format);
  Location(const Location&) = delete;
  Location& operator=(const Location&) = delete;

  // The caller has passed the scheduling point already (it may check the access first).
  std::uint64_t load(std::uint16_t site, Order order);
  void store(std::uint16_t site, std::uint64_t value, Order order);
  // Read-modify-writes (see the contract; order: kRelaxed, kAcquire, kRelease or kSeqCst). exchange returns the
  // value it replaced; compare_exchange stores `desired` if the newest value is `expected`, else writes that value
  // into `expected` and returns false.
  std::uint64_t exchange(std::uint16_t site, std::uint64_t value, Order order);
  bool compare_exchange(std::uint16_t site, std::uint64_t& expected, std::uint64_t desired, Order order);
  std::uint64_t newest() const { return stores_.rec[(count_ - 1) % kHistory].value; }

  std::uint32_t id() const { return id_; }
  // A readable name for traces: "count@3" (the field its first traced access names) or set by the platform.
  void set_label(std::string label) { label_ = std::move(label); }
  const std::string& label(std::uint16_t site);

 private:
  // Left uninitialized on purpose: a Location is built for every slot of every buffer of every execution, and
  // only stores_[0] (set by the constructor) and entries written by store() are ever read (index < count_).
  struct StoreRec {
    std::uint64_t value;
    std::uint32_t number;
    std::uint32_t epoch;
    std::int8_t tid;
    bool has_clock;
    VectorClock clock;
  };
  struct AccessRec {
    std::uint32_t epoch = 0;  // 0: none
    std::uint16_t site = 0;
  };

  // The one read-modify-write both forms are: reads the newest value into `read`, stores `desired` unless it is a
  // compare-exchange (`cas`) whose `expected` differs; returns whether it stored.
  bool read_modify_write(std::uint16_t site, bool cas, std::uint64_t expected, std::uint64_t desired, Order order,
                         std::uint64_t& read);
  void check_race(Runtime& rt, std::uint16_t site, bool write, bool plain);
  void note_access(Runtime& rt, std::uint16_t site, bool write, bool plain);

  union StoreSlots {
    StoreSlots() {}  // no member initialized: see StoreRec
    StoreRec rec[kHistory];
  };
  StoreSlots stores_;
  std::uint32_t count_ = 0;  // stores ever made; store k lives at k % kHistory
  std::uint32_t seen_[kMaxThreads] = {};  // per thread: index of the newest store it observed
  AccessRec w_plain_[kMaxThreads], w_any_[kMaxThreads], r_plain_[kMaxThreads], r_any_[kMaxThreads];
  static_assert(kMaxThreads <= 8, "accessors_ is a byte");
  std::uint8_t accessors_ = 0;  // bit t: thread t has an access record here
  std::int8_t last_tid_ = -1;
  std::uint16_t last_site_ = 0;
  std::uint32_t id_ = 0;
  ValueFormat format_;
  std::string label_;
};

}  // namespace dfrace::rt
