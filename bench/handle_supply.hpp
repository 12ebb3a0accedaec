// HandleSupply: live backend handles for a producer, allocated outside the timed region.
//
// Contract: `take(n)` returns n handles the backend handed out and nobody else holds; when the pre-allocated
// stock runs low it is refilled with zs_malloc in one batch, so a timed region never contains an allocation.
// One supply per producer thread; the backend may be shared (its lock serialises the refills).
// `give_back()` frees the handles taken from the backend but never handed out, so the backend's audit can still
// say whether every handle that went through the pool was freed exactly once.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "backend/zs_backend.hpp"

namespace dfrace::bench {

template <class Backend>
class HandleSupply {
 public:
  explicit HandleSupply(Backend& backend, std::size_t stock = 8192) : backend_(backend), stock_(stock) {}

  ~HandleSupply() { give_back(); }
  HandleSupply(const HandleSupply&) = delete;
  HandleSupply& operator=(const HandleSupply&) = delete;

  void give_back() {
    for (; next_ < handles_.size(); ++next_) backend_.zs_free(handles_[next_]);
  }

  std::span<const Handle> take(std::size_t n) {
    if (next_ + n > handles_.size()) refill(n);
    std::span<const Handle> out(handles_.data() + next_, n);
    next_ += n;
    return out;
  }

 private:
  void refill(std::size_t at_least) {
    handles_.resize(stock_ > at_least ? stock_ : at_least);
    for (Handle& h : handles_) h = backend_.zs_malloc();
    next_ = 0;
  }

  Backend& backend_;
  std::size_t stock_;
  std::vector<Handle> handles_;
  std::size_t next_ = 0;
};

}  // namespace dfrace::bench
