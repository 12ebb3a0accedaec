// How a protocol's recipes.hpp writes a recipe: start from the unmarked code and name only what the recipe marks,
// so each catalogue entry reads as the list of the patch's marked accesses.
//
// Contract
// - `unmarked_recipe<Protocol>()`: what C without any marking compiles to — every load and store plain, no barrier
//   at a fence site, every read-modify-write fully ordered (the kernel's xchg/cmpxchg; an RMW is never plain).
// - `marked_recipe(base, marked, options)`: `base` with each (site, access) of `marked` overriding its site (a later
//   pair wins) and `options` as the protocol's options.
// - `RecipeMarker<Protocol>{base}`: a catalogue's `recipe(marked, options)`, marked_recipe over `base` (by default
//   the unmarked code). A protocol whose own unmarked code differs (one built on a library that marks its accesses
//   itself, like lib/llist.c) makes that base once with marked_recipe and marks its recipes from it.
// All are constexpr: catalogues are compile-time data.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <utility>

#include "core/access.hpp"
#include "core/recipe.hpp"

namespace dfrace {

template <class Protocol>
using SiteMarks = std::initializer_list<std::pair<typename Protocol::Site, Access>>;

template <class Protocol>
constexpr Recipe<Protocol> unmarked_recipe() {
  Recipe<Protocol> r{};
  for (std::size_t i = 0; i < Protocol::kSiteCount; ++i) {
    switch (Protocol::kSites[i].kind) {
      case SiteKind::kFence: r.access[i] = Access::kNone; break;
      case SiteKind::kRmw: r.access[i] = Access::kMb; break;
      default: r.access[i] = Access::kPlain; break;
    }
  }
  return r;
}

template <class Protocol>
constexpr Recipe<Protocol> marked_recipe(Recipe<Protocol> base, SiteMarks<Protocol> marked,
                                         typename Protocol::Options options) {
  for (auto [site, access] : marked) base.access[static_cast<std::size_t>(site)] = access;
  base.options = options;
  return base;
}

// A catalogue's `recipe(marked, options)`: marked_recipe over `base`, the unmarked code unless the protocol says.
template <class Protocol>
struct RecipeMarker {
  Recipe<Protocol> base = unmarked_recipe<Protocol>();

  constexpr Recipe<Protocol> operator()(SiteMarks<Protocol> marked, typename Protocol::Options options) const {
    return marked_recipe<Protocol>(base, marked, options);
  }
};

}  // namespace dfrace
