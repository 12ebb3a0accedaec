// Recipes: the memory order of every shared access of a protocol, as plain data.
//
// `Recipe<Protocol>` is a structural literal type, so it is passed to the pool as a template argument: each
// access compiles to exactly the instruction the recipe names, with no run-time dispatch on the hot path.
// A protocol supplies `Site` (an enum), `kSites` (a `SiteInfo` per site, in enum order) and `Options`
// (the protocol's few structural switches, also plain data).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.hpp"

namespace dfrace {

// One shared-access site of a protocol. The name is what every engine prints (docs/semantics.md §4).
struct SiteInfo {
  std::string_view name;       // "enqueue.count_check"
  SiteKind kind;
  std::string_view seed_code;  // the line of the seed's pseudo-code this site is, or "(not in the seed)"
};

// One direction (hand-off) of a protocol: data that one context publishes and another consumes. Every engine
// reports, with a clean verdict, which directions it saw happen (Platform::observed), so "clean" also says how
// much of the protocol was exercised.
struct DirectionInfo {
  std::string_view name;     // "producer->drain": what the report prints
  std::string_view meaning;  // when an execution counts as having exercised it
};

// A protocol's direction names in declaration order: the names Coverage::of gives an engine's observed bits.
template <class Protocol>
const std::vector<std::string>& direction_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const DirectionInfo& d : Protocol::kDirections) v.emplace_back(d.name);
    return v;
  }();
  return names;
}

template <class Protocol>
struct Recipe {
  std::array<Access, Protocol::kSiteCount> access{};
  typename Protocol::Options options{};

  constexpr Access at(typename Protocol::Site s) const { return access[static_cast<std::size_t>(s)]; }
  friend constexpr bool operator==(const Recipe&, const Recipe&) = default;
};

// A named recipe of the catalogue.
template <class Protocol>
struct RecipeEntry {
  std::string_view name;
  std::string_view origin;  // where the recipe comes from (the seed's message, the team, a user)
  std::string_view notes;   // how it was transcribed, or why it is believed correct
  bool claimed_correct;
  Recipe<Protocol> recipe;
};

// The first site whose access the site's kind does not allow, or nullopt when the recipe is well formed.
template <class Protocol>
constexpr std::optional<std::size_t> first_invalid_site(const Recipe<Protocol>& r) {
  for (std::size_t i = 0; i < Protocol::kSiteCount; ++i) {
    if (!access_allowed(Protocol::kSites[i].kind, r.access[i])) return i;
  }
  return std::nullopt;
}

// A single-step weakening of one site of a base recipe (issue: mutants). Mutants are recipes like any other.
template <class Protocol>
struct Mutant {
  std::size_t site;
  Access from;
  Access to;
  Recipe<Protocol> recipe;
};

template <class Protocol>
constexpr std::size_t count_single_step_weakenings(const Recipe<Protocol>& base) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < Protocol::kSiteCount; ++i) {
    n += one_step_weakenings(Protocol::kSites[i].kind, base.access[i]).count;
  }
  return n;
}

// Every recipe that differs from `base` in exactly one site, made one step weaker (see one_step_weakenings).
template <class Protocol, std::size_t N>
constexpr std::array<Mutant<Protocol>, N> single_step_weakenings(const Recipe<Protocol>& base) {
  std::array<Mutant<Protocol>, N> out{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < Protocol::kSiteCount; ++i) {
    const Weakenings w = one_step_weakenings(Protocol::kSites[i].kind, base.access[i]);
    for (std::size_t k = 0; k < w.count; ++k) {
      Recipe<Protocol> r = base;
      r.access[i] = w.to[k];
      out[n++] = Mutant<Protocol>{i, base.access[i], w.to[k], r};
    }
  }
  return out;
}

// "complete_fix@drain.count_check=once": shell- and file-name-safe.
inline std::string mutant_name(std::string_view base, std::string_view site, Access to) {
  std::string s(base);
  s += '@';
  s += site;
  s += '=';
  s += access_name(to);
  return s;
}

}  // namespace dfrace
