// Where each access site of the pool is in the pool's source, so a Relacy report says "pool.hpp(97)" and the
// verdict can point a reader at the line.
//
// Contract: `site_line(i)` is the line of the first use of `Site::kXxx` (derived from the site's name:
// "enqueue.count_check" -> kEnqueueCountCheck) in pool.hpp, or 0 when the source is not readable at run time
// (the binary moved away from its checkout). Computed once, before any simulation starts.
#pragma once

#include <cstddef>
#include <string>

namespace dfrace::relacy {

void load_site_locations();                 // call once at start-up
unsigned site_line(std::size_t site);       // 0 when unknown
const char* pool_source_name();             // "src/protocols/percpu_swap/pool.hpp"
std::string site_location(std::size_t site);  // "enqueue.count_check (pool.hpp:97)"

}  // namespace dfrace::relacy
