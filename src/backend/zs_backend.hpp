// ZsBackend: the stand-in for zsmalloc that the deferred pool frees into.
//
// Contract: zs_malloc() hands out unique non-zero handles; zs_free(h) frees one under the backend's lock, as
// zs_free takes its class lock, and never crashes on misuse: a double free, a free of a handle it never handed out
// and a free of the never-written value 0 are recorded (and reported to `on_misuse`, for engines that stop at the
// first finding). At any time `audit()` tells exactly which handles are still live, so every test can ask "was
// each handle freed exactly once?".
//
// The lock is the platform's, so the ordering a real zs_free lock gives is visible to every engine alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "platform/platform.hpp"

namespace dfrace {

enum class MisuseKind : std::uint8_t { kDoubleFree, kUnknownHandle, kNeverWrittenSlot };

struct Misuse {
  MisuseKind kind;
  Handle handle;
  std::string describe() const;
};

struct BackendAudit {
  std::uint64_t allocated = 0;
  std::uint64_t freed = 0;
  std::vector<Handle> live;  // allocated and not freed (at shutdown: leaked)
  std::vector<Misuse> misuse;
  bool each_freed_exactly_once() const { return live.empty() && misuse.empty(); }
  std::string summary() const;
};

template <class Mutex = std::mutex>
class ZsBackend {
 public:
  ZsBackend() = default;
  ZsBackend(const ZsBackend&) = delete;
  ZsBackend& operator=(const ZsBackend&) = delete;

  Handle zs_malloc() {
    std::lock_guard guard(lock_);
    state_.push_back(State::kLive);
    ++class_in_use_[state_.size() % kSizeClasses];
    return state_.size();  // handle h lives at state_[h - 1]
  }

  void zs_free(Handle h) {
    Misuse found{};
    bool misused = false;
    {
      std::lock_guard guard(lock_);
      if (h == kNeverWritten) {
        found = {MisuseKind::kNeverWrittenSlot, h};
        misused = true;
      } else if (h > state_.size()) {
        found = {MisuseKind::kUnknownHandle, h};
        misused = true;
      } else if (state_[h - 1] == State::kFreed) {
        found = {MisuseKind::kDoubleFree, h};
        misused = true;
      } else {
        state_[h - 1] = State::kFreed;
        --class_in_use_[h % kSizeClasses];  // the bookkeeping zs_free does for the handle's size class
        ++freed_;
      }
      if (misused) misuse_.push_back(found);
    }
    if (misused && on_misuse) on_misuse(found);
  }

  BackendAudit audit() const {
    std::lock_guard guard(lock_);
    BackendAudit a;
    a.allocated = state_.size();
    a.freed = freed_;
    for (std::size_t i = 0; i < state_.size(); ++i) {
      if (state_[i] == State::kLive) a.live.push_back(i + 1);
    }
    a.misuse = misuse_;
    return a;
  }

  std::uint64_t frees() const {
    std::lock_guard guard(lock_);
    return freed_;
  }

  // Called outside the lock for each misuse as it happens.
  std::function<void(const Misuse&)> on_misuse;

 private:
  enum class State : std::uint8_t { kLive, kFreed };
  static constexpr std::size_t kSizeClasses = 32;

  mutable Mutex lock_;
  std::vector<State> state_;
  std::uint64_t freed_ = 0;
  std::int64_t class_in_use_[kSizeClasses] = {};
  std::vector<Misuse> misuse_;
};

}  // namespace dfrace
