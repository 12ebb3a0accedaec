// How a pool performs the recipe's access at one of its sites: `recipe_load<kRecipe, Site::kXxx>(cell)` and its
// store, re-read and barrier siblings. Resolved at compile time (the recipe is a template argument), so the native
// build pays nothing for being checkable; the site's index travels with the access so an engine can name it.
//
// Contract: a pool spells every shared access through these, with `Site::kXxx` written out at the call, so an
// engine that only has a source line (a sanitizer frame, a Relacy history) finds the site on it.
#pragma once

#include <cstddef>

#include "core/access.hpp"

namespace dfrace {

template <auto kRecipe, auto kSite, class Cell>
auto recipe_load(Cell& cell) {
  return cell.template load<kRecipe.at(kSite), static_cast<std::size_t>(kSite)>();
}

template <auto kRecipe, auto kSite, class Cell, class T>
void recipe_store(Cell& cell, T value) {
  cell.template store<kRecipe.at(kSite), static_cast<std::size_t>(kSite)>(value);
}

// A re-read the patch spells out; a recipe may reuse the value already loaded instead (Access::kReuse).
template <auto kRecipe, auto kSite, class Cell, class T>
T recipe_reload(Cell& cell, T already_loaded) {
  if constexpr (kRecipe.at(kSite) == Access::kReuse) {
    return already_loaded;
  } else {
    return recipe_load<kRecipe, kSite>(cell);
  }
}

// An exchange site (xchg and its _relaxed/_acquire/_release forms): stores `value`, returns what it replaced.
template <auto kRecipe, auto kSite, class Cell, class T>
T recipe_exchange(Cell& cell, T value) {
  return cell.template exchange<kRecipe.at(kSite), static_cast<std::size_t>(kSite)>(value);
}

// A compare-exchange site (cmpxchg and its forms), strong: true and `desired` stored when the cell held
// `expected`; otherwise false, `expected` updated to what the cell held, and the failed attempt orders nothing.
template <auto kRecipe, auto kSite, class Cell, class T>
bool recipe_compare_exchange(Cell& cell, T& expected, T desired) {
  return cell.template compare_exchange<kRecipe.at(kSite), static_cast<std::size_t>(kSite)>(expected, desired);
}

// A barrier site; `paired` is the location it protects (for platforms that annotate instead of fencing).
template <auto kRecipe, auto kSite, class P>
void recipe_fence(P& platform, const void* paired) {
  if constexpr (kRecipe.at(kSite) != Access::kNone) {
    platform.template fence<kRecipe.at(kSite), static_cast<std::size_t>(kSite)>(paired);
  }
}

}  // namespace dfrace
