#include "tsc_clock.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace dfrace::bench {

TscCalibration calibrate_tsc(unsigned ms) {
  TscCalibration cal;
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const std::uint64_t c0 = tsc_start();
  while (Clock::now() - t0 < std::chrono::milliseconds(ms)) {
  }
  const auto t1 = Clock::now();
  const std::uint64_t c1 = tsc_stop();
  const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
  cal.ticks_per_ns = static_cast<double>(c1 - c0) / ns;

  std::vector<std::uint64_t> empty(20001);
  for (auto& e : empty) {
    const std::uint64_t a = tsc_start();
    const std::uint64_t b = tsc_stop();
    e = b - a;
  }
  std::nth_element(empty.begin(), empty.begin() + empty.size() / 2, empty.end());
  cal.overhead_ticks = static_cast<double>(empty[empty.size() / 2]);
  return cal;
}

bool invariant_tsc() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) == 0) {
      return line.find(" constant_tsc") != std::string::npos && line.find(" nonstop_tsc") != std::string::npos;
    }
  }
  return false;
}

}  // namespace dfrace::bench
