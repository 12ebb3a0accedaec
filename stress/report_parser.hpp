// Reading a sanitizer report (ThreadSanitizer, AddressSanitizer, UndefinedBehaviorSanitizer) that the stress
// worker printed on stderr, and naming the accesses by the recipe's site names (docs/semantics.md §4).
//
// Contract
// - A stack frame is mapped to a site by the platform's access functions, which carry the site index as their
//   second template argument, e.g. `dfrace::NativePlatform::Shared<unsigned long>::load<(dfrace::Access)0, 9ul>()`
//   -> the protocol's sites[9] = "drain.count_check". When no frame of a stack has that form (inlining without
//   symbolized inline frames), a frame in pool.hpp is mapped by its line number to the Site named on that line.
// - ThreadSanitizer data race -> `data race: <A> vs <B>` (race_pair order); a race where one side is a free
//   (operator delete / free) and any heap-use-after-free -> `use after free: <the access>`; a deadly signal
//   (SEGV...) -> `crash: SIG...`; a UBSan runtime error -> `crash: undefined behaviour (<kind>)`.
// - nullopt when the text holds no report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/protocol_info.hpp"
#include "core/verdict.hpp"

namespace dfrace::stress {

struct SanitizerFinding {
  VerdictKind kind = VerdictKind::kDataRace;
  std::string detail;  // the verdict's detail: "drain.count_check vs enqueue.count_publish", "SIGSEGV", ...
  std::string title;   // the report's own first line, e.g. "WARNING: ThreadSanitizer: data race (pid=123)"
};

// `pool_source_lines`: the text of pool.hpp (for the line-number fallback); may be empty.
std::optional<SanitizerFinding> parse_sanitizer_report(const ProtocolInfo& protocol, const std::string& stderr_text,
                                                       const std::string& pool_source_text);

// The site named by one symbolized frame line ("    #0 dfrace::...::load<(dfrace::Access)0, 9ul>() pool.hpp:85"),
// or empty. Exposed for tests.
std::string site_of_frame(const ProtocolInfo& protocol, const std::string& frame_line, const std::vector<std::string>& site_by_pool_line);

// For each line of pool.hpp (1-based index), the site named on that line (`Site::kDrainCountCheck` ->
// "drain.count_check"), or empty.
std::vector<std::string> sites_by_line(const ProtocolInfo& protocol, const std::string& pool_source_text);

// The report with each stack cut to its first `frames_per_stack` frames and the recipe's long template argument
// shortened to "kRecipe", up to the first SUMMARY line: what a terminal shows.
std::string report_excerpt(const std::string& text, std::size_t frames_per_stack = 5);

}  // namespace dfrace::stress
