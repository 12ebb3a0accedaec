// Which protocol the Relacy run in progress checks, and where each of its access sites is in its pool's source, so
// a Relacy report says "pool.hpp(97)" and the verdict can point a reader at the line.
//
// Contract: `use_protocol(p)` (before a protocol's first run, outside any simulation) makes `p` current and
// computes `site_line(i)`: the line of the first use of `Site::kXxx` (derived from the site's name:
// "enqueue.count_check" -> kEnqueueCountCheck) in its pool.hpp, or 0 when the source is not readable at run time
// (the binary moved away from its checkout). Nothing here allocates once a simulation runs.
#pragma once

#include <cstddef>
#include <string>

#include "core/protocol_info.hpp"

namespace dfrace::relacy {

void use_protocol(const ProtocolInfo& protocol);  // call before running that protocol's recipes
const ProtocolInfo& current_protocol();
unsigned site_line(std::size_t site);         // 0 when unknown
std::string site_location(std::size_t site);  // "enqueue.count_check (pool.hpp:97)"

}  // namespace dfrace::relacy
