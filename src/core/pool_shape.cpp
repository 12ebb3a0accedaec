#include "core/pool_shape.hpp"

#include <stdexcept>
#include <string>

namespace dfrace {

std::string validate(const PoolConfig& config) {
  if (config.nr_cpus == 0) return "the pool needs at least 1 CPU";
  if (config.nr_cpus > kMaxCpus) return "at most " + std::to_string(kMaxCpus) + " CPUs (asked for " +
                                        std::to_string(config.nr_cpus) + ")";
  if (config.size == 0) return "SIZE must be at least 1";
  if (config.size > kMaxBufferSize) return "SIZE must be at most " + std::to_string(kMaxBufferSize) +
                                           " (asked for " + std::to_string(config.size) + ")";
  return {};
}

PoolConfig checked_config(const PoolConfig& config) {
  if (std::string why = validate(config); !why.empty()) throw std::invalid_argument(why);
  return config;
}

}  // namespace dfrace
