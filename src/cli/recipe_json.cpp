#include "cli/recipe_json.hpp"

#include <cstdio>
#include <string>

namespace dfrace::percpu_swap {

nlohmann::json recipe_to_json(const RecipeMeta& meta) {
  nlohmann::json sites = nlohmann::json::array();
  for (std::size_t i = 0; i < Protocol::kSiteCount; ++i) {
    const auto& site = Protocol::kSites[i];
    const Access a = meta.recipe.access[i];
    sites.push_back({{"site", site.name},
                     {"access", access_name(a)},
                     {"kernel", kernel_spelling(site.kind, a)},
                     {"seed_code", site.seed_code}});
  }
  nlohmann::json options = nlohmann::json::object();
  for (auto& [name, value] : Protocol::describe(meta.recipe.options)) options[name] = value;
  nlohmann::json j = {{"name", meta.name},         {"protocol", Protocol::kName},
                      {"origin", meta.origin},     {"notes", meta.notes},
                      {"claimed_correct", meta.claimed_correct}, {"mutant", meta.is_mutant},
                      {"options", options},        {"accesses", sites}};
  if (meta.mutated_site) {
    j["mutation"] = {{"site", Protocol::kSites[site_index(*meta.mutated_site)].name},
                     {"from", access_name(meta.mutated_from)},
                     {"to", access_name(meta.recipe.at(*meta.mutated_site))}};
  }
  return j;
}

std::string recipe_to_text(const RecipeMeta& meta) {
  std::string out;
  char line[256];
  for (std::size_t i = 0; i < Protocol::kSiteCount; ++i) {
    const auto& site = Protocol::kSites[i];
    const Access a = meta.recipe.access[i];
    const bool changed = meta.mutated_site && site_index(*meta.mutated_site) == i;
    std::snprintf(line, sizeof line, "  %s %-28.*s %-8.*s %-26.*s %.*s\n", changed ? "*" : " ",
                  static_cast<int>(site.name.size()), site.name.data(), static_cast<int>(access_name(a).size()),
                  access_name(a).data(), static_cast<int>(kernel_spelling(site.kind, a).size()),
                  kernel_spelling(site.kind, a).data(), static_cast<int>(site.seed_code.size()),
                  site.seed_code.data());
    out += line;
  }
  for (auto& [name, value] : Protocol::describe(meta.recipe.options)) {
    out += "    option " + name + " = " + (value ? "true" : "false") + "\n";
  }
  return out;
}

}  // namespace dfrace::percpu_swap
