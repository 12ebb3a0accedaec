// JSON and text renderings of a recipe, shared by `dfrace recipes` and the engines' reports.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/catalogue.hpp"

namespace dfrace {

nlohmann::json recipe_to_json(const RecipeMeta& meta);
// One line per site: "  enqueue.count_check        acquire   smp_load_acquire   if (def->count < SIZE)"
std::string recipe_to_text(const RecipeMeta& meta);

}  // namespace dfrace
