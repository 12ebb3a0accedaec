// Looking a recipe up by the name a user typed (or a finding file carries), with the one error message every
// binary gives when there is no such recipe. Engines that keep their own per-recipe tables (the fuzz registry)
// use unknown_recipe() for the message so the wording is the same everywhere.
#pragma once

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include <string_view>

#include "core/catalogue.hpp"

namespace dfrace {

// NotFound("unknown recipe 'NAME' (see `./dfrace recipes --mutants` for the names)"), NAME escaped.
absl::Status unknown_recipe(std::string_view name);

absl::StatusOr<RecipeMeta> lookup_recipe(std::string_view name);

}  // namespace dfrace
