// HostCounter: the statistics counter of a checker platform (Relacy, the fuzz executor), where every modelled
// thread runs on one OS thread. A plain integer that the checker never sees, so statistics add no ordering and no
// scheduling points to the model.
#pragma once

#include <cstdint>

namespace dfrace {

class HostCounter {
 public:
  void add(std::uint64_t n) { v_ += n; }
  std::uint64_t value() const { return v_; }

 private:
  std::uint64_t v_ = 0;
};

}  // namespace dfrace
