#include "platform/site_locations.hpp"

#include <cctype>
#include <fstream>
#include <array>
#include <vector>

#include "protocols/percpu_swap/protocol.hpp"

#ifndef DFRACE_POOL_SOURCE
#define DFRACE_POOL_SOURCE "src/protocols/percpu_swap/pool.hpp"
#endif

namespace dfrace::relacy {
namespace {

using percpu_swap::Protocol;

// A fixed array, not a vector: it may first be touched inside a Relacy run, whose heap is gone afterwards.
std::array<unsigned, Protocol::kSiteCount>& lines() {
  static std::array<unsigned, Protocol::kSiteCount> l{};
  return l;
}

}  // namespace

void load_site_locations() {
  std::ifstream in(DFRACE_POOL_SOURCE);
  if (!in) return;
  std::vector<std::string> text;
  for (std::string line; std::getline(in, line);) text.push_back(line);
  for (std::size_t s = 0; s < Protocol::kSiteCount; ++s) {
    const std::string needle = "Site::" + percpu_swap::site_enumerator(Protocol::kSites[s].name);
    for (std::size_t i = 0; i < text.size(); ++i) {
      // the use, not the enum's declaration: followed by '>' (a template argument)
      auto at = text[i].find(needle + ">");
      if (at != std::string::npos) {
        lines()[s] = static_cast<unsigned>(i + 1);
        break;
      }
    }
  }
}

unsigned site_line(std::size_t site) { return site < lines().size() ? lines()[site] : 0; }

const char* pool_source_name() { return "src/protocols/percpu_swap/pool.hpp"; }

std::string site_location(std::size_t site) {
  if (site >= Protocol::kSiteCount) return "?";
  std::string s(Protocol::kSites[site].name);
  if (unsigned l = site_line(site)) s += " (pool.hpp:" + std::to_string(l) + ")";
  return s;
}

}  // namespace dfrace::relacy
