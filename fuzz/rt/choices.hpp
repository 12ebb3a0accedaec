// ChoiceSource: the input bytes read as a stream of decisions, FuzzedDataProvider-style.
//
// Contract: every byte string is a valid stream; once the bytes run out every decision takes its default
// (choose(n) returns 0), so libFuzzer never produces a rejected input. `used()` tells how many bytes mattered.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dfrace::rt {

class ChoiceSource {
 public:
  ChoiceSource() = default;
  ChoiceSource(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  // A byte, or `fallback` once the input is exhausted.
  std::uint8_t byte(std::uint8_t fallback = 0) { return pos_ < size_ ? data_[pos_++] : fallback; }
  // A choice among n (n >= 1) options; 0 is the default. Consumes nothing when there is no choice.
  unsigned choose(unsigned n) {
    if (n <= 1) return 0;
    return pos_ < size_ ? data_[pos_++] % n : 0;
  }
  bool exhausted() const { return pos_ >= size_; }
  std::size_t used() const { return pos_; }

 private:
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t pos_ = 0;
};

}  // namespace dfrace::rt
