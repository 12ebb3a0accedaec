#include "platform/site_locations.hpp"

#include <array>
#include <fstream>
#include <vector>

#ifndef DFRACE_SOURCE_DIR
#define DFRACE_SOURCE_DIR "."
#endif

namespace dfrace::relacy {
namespace {

// A fixed array, not a vector: it is read inside Relacy runs, whose heap is gone afterwards.
constexpr std::size_t kMaxSites = 128;
std::array<unsigned, kMaxSites> g_lines{};
const ProtocolInfo* g_protocol = nullptr;

}  // namespace

void use_protocol(const ProtocolInfo& protocol) {
  if (g_protocol == &protocol) return;
  g_protocol = &protocol;
  g_lines = {};
  std::ifstream in(std::string(DFRACE_SOURCE_DIR) + "/" + protocol.pool_source());
  if (!in) return;
  std::vector<std::string> text;
  for (std::string line; std::getline(in, line);) text.push_back(line);
  for (std::size_t s = 0; s < protocol.sites.size() && s < kMaxSites; ++s) {
    const std::string needle = "Site::" + site_enumerator(protocol.sites[s].name);
    for (std::size_t i = 0; i < text.size(); ++i) {
      // the use, not the enum's declaration: followed by '>' (a template argument)
      if (text[i].find(needle + ">") != std::string::npos) {
        g_lines[s] = static_cast<unsigned>(i + 1);
        break;
      }
    }
  }
}

const ProtocolInfo& current_protocol() {
  static const ProtocolInfo none{"(none)", {}, nullptr, false};
  return g_protocol != nullptr ? *g_protocol : none;
}

unsigned site_line(std::size_t site) { return site < kMaxSites ? g_lines[site] : 0; }

std::string site_location(std::size_t site) {
  if (site >= current_protocol().sites.size()) return "?";
  std::string s(current_protocol().sites[site].name);
  if (unsigned l = site_line(site)) s += " (pool.hpp:" + std::to_string(l) + ")";
  return s;
}

}  // namespace dfrace::relacy
