#include "prove/prove_config.hpp"

#include <charconv>

namespace dfrace::fuzz {

std::string ProveConfig::name() const {
  std::string s = std::to_string(cpus) + "cpu-s" + std::to_string(size) + "-p" + std::to_string(pushes) + "-d" +
                  std::to_string(drains);
  if (flush) s += "-flush";
  if (irq) s += "-irq";
  if (alloc_fail) s += "-allocfail";
  return s;
}

std::vector<Program> ProveConfig::programs() const {
  Program p;
  p.nr_cpus = cpus;
  p.size = size;
  for (unsigned cpu = 0; cpu < cpus; ++cpu) p.enqueues[cpu] = pushes;
  p.flusher = flush;
  p.irq = irq;
  p.irq_cpu = 0;
  p.drain_run_limit = drains;
  std::vector<Program> out;
  for (std::uint32_t mask = 0; mask < (alloc_fail ? 16u : 1u); ++mask) {
    p.alloc_fail_mask = mask;
    out.push_back(p);
  }
  return out;
}

std::string validate(const ProveConfig& c) {
  auto out_of = [](const char* what, unsigned v, unsigned lo, unsigned hi) {
    return std::string(what) + " " + std::to_string(v) + " is outside " + std::to_string(lo) + "-" +
           std::to_string(hi) + " (limits: " + std::string(kProveLimits) + ")";
  };
  if (c.cpus < 1 || c.cpus > kMaxCpus) return out_of("CPUs", c.cpus, 1, kMaxCpus);
  if (c.size < 1 || c.size > 4) return out_of("SIZE", c.size, 1, 4);
  if (c.pushes > 7) return out_of("pushes per CPU", c.pushes, 0, 7);
  if (c.drains > kMaxDrainRunLimit) return out_of("drain runs", c.drains, 0, kMaxDrainRunLimit);
  return "";
}

// "2cpu-s1-p2-d2-flush": fields in this order, the flags after them in any order.
std::optional<ProveConfig> parse_prove_config(std::string_view name, std::string& why) {
  ProveConfig c;
  std::string_view rest = name;
  auto number = [&](std::string_view prefix, std::string_view suffix, unsigned& out) {
    if (rest.substr(0, prefix.size()) != prefix) return false;
    rest.remove_prefix(prefix.size());
    const char* end = rest.data() + rest.size();
    auto [ptr, ec] = std::from_chars(rest.data(), end, out);
    if (ec != std::errc() || ptr == rest.data()) return false;
    rest.remove_prefix(static_cast<std::size_t>(ptr - rest.data()));
    if (rest.substr(0, suffix.size()) != suffix) return false;
    rest.remove_prefix(suffix.size());
    return true;
  };
  if (!number("", "cpu", c.cpus) || !number("-s", "", c.size) || !number("-p", "", c.pushes) ||
      !number("-d", "", c.drains)) {
    why = "configuration name '" + std::string(name) +
          "' is not of the form <N>cpu-s<SIZE>-p<PUSHES>-d<DRAINS>[-flush][-irq][-allocfail], e.g. 2cpu-s1-p2-d2";
    return std::nullopt;
  }
  while (!rest.empty()) {
    if (rest.substr(0, 6) == "-flush") {
      c.flush = true;
      rest.remove_prefix(6);
    } else if (rest.substr(0, 4) == "-irq") {
      c.irq = true;
      rest.remove_prefix(4);
    } else if (rest.substr(0, 10) == "-allocfail") {
      c.alloc_fail = true;
      rest.remove_prefix(10);
    } else {
      why = "configuration name '" + std::string(name) + "': unknown part '" + std::string(rest) +
            "' (flags: -flush, -irq, -allocfail)";
      return std::nullopt;
    }
  }
  if (why = validate(c); !why.empty()) return std::nullopt;
  return c;
}

}  // namespace dfrace::fuzz
