#include "infra/recipe_lookup.hpp"

#include <absl/strings/str_cat.h>

#include "infra/quote.hpp"
#include "protocols/registry.hpp"

namespace dfrace {

absl::Status unknown_recipe(std::string_view name) {
  return absl::NotFoundError(
      absl::StrCat("unknown recipe ", quote_escaped(name), " (see `./dfrace recipes --mutants` for the names)"));
}

absl::StatusOr<RecipeMeta> lookup_recipe(std::string_view name) {
  if (auto meta = protocols::find_recipe(name)) return *std::move(meta);
  return unknown_recipe(name);
}

}  // namespace dfrace
