// What every deferred-free pool shares, whatever its protocol: its configuration (CPUs, SIZE), the bounds a
// configuration is checked against, and its counters. Engines (stress, bench) read these without naming a
// protocol.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace dfrace {

struct PoolConfig {
  unsigned nr_cpus = 2;
  std::size_t size = 2048;  // SIZE: handles per buffer (the seed: ~2048)
};

// Upper bounds a configuration is checked against, so a typo cannot ask for terabytes.
inline constexpr unsigned kMaxCpus = 1024;
inline constexpr std::size_t kMaxBufferSize = std::size_t{1} << 24;

// Empty string when the configuration is usable, else why not.
std::string validate(const PoolConfig& config);

// `config` itself when it is usable, else throws std::invalid_argument with validate's reason: what a pool's
// constructor initializes its configuration with.
PoolConfig checked_config(const PoolConfig& config);

struct PoolStats {
  std::uint64_t enqueued = 0;     // enqueue calls
  std::uint64_t deferred = 0;     // handles stored in a buffer
  std::uint64_t overflowed = 0;   // handles freed synchronously (the buffer was full, or the pool busy)
  std::uint64_t drained = 0;      // handles freed by the drain
  std::uint64_t flushed = 0;      // handles freed by flush() or teardown from partially filled buffers
  std::uint64_t drain_runs = 0;
  std::uint64_t buffer_allocs = 0;
  std::uint64_t buffer_alloc_failures = 0;
};

}  // namespace dfrace
