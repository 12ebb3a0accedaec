// ProtocolInfo: what code that is not templated on a protocol knows about one (its name, its sites, its
// directions), so engines, reports and the CLI can name any registered protocol's accesses at run time.
//
// Contract: `protocol_info<Protocol>()` is one static object per protocol, alive for the whole program (an engine
// may read it inside a run whose heap is not the program's, like Relacy's).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/recipe.hpp"

namespace dfrace {

struct ProtocolInfo {
  std::string_view name;                       // "my_protocol": its folder under src/protocols/
  std::span<const SiteInfo> sites;             // Protocol::kSites, in Site order
  const std::vector<std::string>* directions;  // Protocol::kDirections' names, in Direction order
  bool reads_version1_findings = false;        // finding files of version 1 (which name no protocol) are its
  std::span<const std::string_view> check_prove_configs;  // Protocol::kCheckProveConfigs: what `check` proves at

  std::string_view site_name(std::size_t site) const { return site < sites.size() ? sites[site].name : "?"; }
  // The protocol's pool source, relative to the repository's root: where its sites are spelled.
  std::string pool_source() const { return "src/protocols/" + std::string(name) + "/pool.hpp"; }
};

template <class Protocol>
const ProtocolInfo& protocol_info() {
  static const ProtocolInfo info{Protocol::kName, Protocol::kSites, &direction_names<Protocol>(),
                                 Protocol::kReadsVersion1Findings, Protocol::kCheckProveConfigs};
  return info;
}

// "drain.head_load" -> "kDrainHeadLoad": how a pool spells a site (`Site::kDrainHeadLoad`), so an engine that
// only has a source line (a sanitizer frame, a Relacy history) can find the site it belongs to.
inline std::string site_enumerator(std::string_view site_name) {
  std::string out = "k";
  bool upper = true;
  for (char c : site_name) {
    if (c == '.' || c == '_') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

}  // namespace dfrace
