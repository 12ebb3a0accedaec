// The finding file (DESIGN-NOTES §3): a short header, then the raw libFuzzer input.
//
//   "DFRACE\0" (7 bytes) | version (1 byte, = 1) | recipe name length (1 byte) | recipe name |
//   nr_cpus (1) | SIZE (1) | site-table hash (8, little endian) | the raw input bytes
//
// The pool config in the header is informational (the raw bytes decode to the same config); the site-table hash
// tells whether the pool's access sites changed since the finding was recorded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dfrace::fuzz {

inline constexpr std::uint8_t kFindingVersion = 1;

struct FindingFile {
  std::string recipe;
  unsigned nr_cpus = 0;
  unsigned size = 0;
  std::uint64_t site_hash = 0;
  std::vector<std::uint8_t> input;
};

// Hash of the protocol's site table (names and kinds).
std::uint64_t site_table_hash();

std::vector<std::uint8_t> encode_finding(const FindingFile& f);
// Is this a finding file at all (magic present)? Raw libFuzzer inputs are not.
bool has_finding_magic(const std::vector<std::uint8_t>& bytes);
// Parses a finding file; on failure returns nullopt and a one-line reason.
std::optional<FindingFile> decode_finding(const std::vector<std::uint8_t>& bytes, std::string& why);

}  // namespace dfrace::fuzz
