#include "schedule/finding_file.hpp"

#include <cstring>


namespace dfrace::fuzz {
namespace {
constexpr char kMagic[7] = {'D', 'F', 'R', 'A', 'C', 'E', '\0'};
}

std::uint64_t site_table_hash(std::span<const SiteInfo> sites) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  auto mix = [&](std::uint8_t b) { h = (h ^ b) * 1099511628211ull; };
  for (const auto& s : sites) {
    for (char c : s.name) mix(static_cast<std::uint8_t>(c));
    mix(0);
    mix(static_cast<std::uint8_t>(s.kind));
  }
  return h;
}

std::vector<std::uint8_t> encode_finding(const FindingFile& f) {
  std::vector<std::uint8_t> out(kMagic, kMagic + sizeof kMagic);
  out.push_back(kFindingVersion);
  out.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(f.protocol.size(), 255)));
  out.insert(out.end(), f.protocol.begin(), f.protocol.begin() + std::min<std::size_t>(f.protocol.size(), 255));
  out.push_back(static_cast<std::uint8_t>(f.recipe.size()));
  out.insert(out.end(), f.recipe.begin(), f.recipe.begin() + std::min<std::size_t>(f.recipe.size(), 255));
  out.push_back(static_cast<std::uint8_t>(f.nr_cpus));
  out.push_back(static_cast<std::uint8_t>(f.size));
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(f.site_hash >> (8 * i)));
  out.insert(out.end(), f.input.begin(), f.input.end());
  return out;
}

bool has_finding_magic(const std::vector<std::uint8_t>& bytes) {
  return bytes.size() >= 6 && std::memcmp(bytes.data(), kMagic, 6) == 0;
}

std::optional<FindingFile> decode_finding(const std::vector<std::uint8_t>& b, std::string& why) {
  if (b.empty()) {
    why = "empty file";
    return std::nullopt;
  }
  if (b.size() < sizeof kMagic || std::memcmp(b.data(), kMagic, sizeof kMagic) != 0) {
    why = b.size() < sizeof kMagic && has_finding_magic(b) ? "truncated header" : "bad magic (not a dfrace finding file)";
    return std::nullopt;
  }
  std::size_t pos = sizeof kMagic;
  if (pos >= b.size()) {
    why = "truncated header (no version)";
    return std::nullopt;
  }
  const std::uint8_t version = b[pos];
  if (version != kFindingVersion && version != kFindingVersionWithoutProtocol) {
    why = "unsupported finding-file version " + std::to_string(version) + " (this build reads versions " +
          std::to_string(kFindingVersionWithoutProtocol) + " and " + std::to_string(kFindingVersion) + ")";
    return std::nullopt;
  }
  ++pos;
  FindingFile f;
  if (version == kFindingVersion) {
    if (pos >= b.size() || pos + 1 + b[pos] > b.size()) {
      why = "truncated header (no protocol name)";
      return std::nullopt;
    }
    const std::size_t plen = b[pos++];
    f.protocol.assign(reinterpret_cast<const char*>(&b[pos]), plen);
    pos += plen;
  }
  if (pos >= b.size()) {
    why = "truncated header (no recipe name)";
    return std::nullopt;
  }
  const std::size_t len = b[pos++];
  if (pos + len + 2 + 8 > b.size()) {
    why = "truncated header (" + std::to_string(b.size()) + " bytes)";
    return std::nullopt;
  }
  f.recipe.assign(reinterpret_cast<const char*>(&b[pos]), len);
  pos += len;
  f.nr_cpus = b[pos++];
  f.size = b[pos++];
  for (int i = 0; i < 8; ++i) f.site_hash |= static_cast<std::uint64_t>(b[pos++]) << (8 * i);
  f.input.assign(b.begin() + static_cast<std::ptrdiff_t>(pos), b.end());
  if (version == 1 && !f.input.empty()) f.input[0] &= 0x0f;  // bits version 1 ignored
  return f;
}

}  // namespace dfrace::fuzz
