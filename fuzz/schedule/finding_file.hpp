// The finding file (docs/finding-file.md): a short header, then the raw libFuzzer input.
//
//   "DFRACE\0" (7 bytes) | version (1 byte, = 2) | protocol name length (1) | protocol name |
//   recipe name length (1 byte) | recipe name | nr_cpus (1) | SIZE (1) | site-table hash (8, little endian) |
//   the raw input bytes
//
// Version 1 is the same without the protocol field: it was written when the tool had one protocol, and is read
// with an empty `protocol` (the registry maps it to the protocol that declares it reads version-1 files).
// The pool config in the header is informational (the raw bytes decode to the same config); the site-table hash
// tells whether the protocol's access sites changed since the finding was recorded.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/recipe.hpp"

namespace dfrace::fuzz {

inline constexpr std::uint8_t kFindingVersion = 2;
inline constexpr std::uint8_t kFindingVersionWithoutProtocol = 1;
// Version-1 inputs predate the drain-run limit and the four-CPU bit of byte 0 (schedule/program.hpp): those bits were
// ignored then, so the reader clears them.

struct FindingFile {
  std::string protocol;  // empty: a version-1 file, which names none
  std::string recipe;
  unsigned nr_cpus = 0;
  unsigned size = 0;
  std::uint64_t site_hash = 0;
  std::vector<std::uint8_t> input;
};

// Hash of a protocol's site table (names and kinds).
std::uint64_t site_table_hash(std::span<const SiteInfo> sites);

std::vector<std::uint8_t> encode_finding(const FindingFile& f);
// Is this a finding file at all (magic present)? Raw libFuzzer inputs are not.
bool has_finding_magic(const std::vector<std::uint8_t>& bytes);
// Parses a finding file; on failure returns nullopt and a one-line reason.
std::optional<FindingFile> decode_finding(const std::vector<std::uint8_t>& bytes, std::string& why);

}  // namespace dfrace::fuzz
