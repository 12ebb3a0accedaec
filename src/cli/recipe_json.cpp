#include "cli/recipe_json.hpp"

#include <cstdio>
#include <string>

namespace dfrace {

nlohmann::json recipe_to_json(const RecipeMeta& meta) {
  nlohmann::json sites = nlohmann::json::array();
  const auto& table = meta.protocol->sites;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& site = table[i];
    const Access a = meta.access[i];
    sites.push_back({{"site", site.name},
                     {"access", access_name(a)},
                     {"kernel", kernel_spelling(site.kind, a)},
                     {"seed_code", site.seed_code}});
  }
  nlohmann::json options = nlohmann::json::object();
  for (auto& [name, value] : meta.options) options[name] = value;
  nlohmann::json j = {{"name", meta.name},         {"protocol", meta.protocol->name},
                      {"origin", meta.origin},     {"notes", meta.notes},
                      {"claimed_correct", meta.claimed_correct}, {"mutant", meta.is_mutant},
                      {"options", options},        {"accesses", sites}};
  if (meta.mutated_site) {
    j["mutation"] = {{"site", meta.protocol->site_name(*meta.mutated_site)},
                     {"from", access_name(meta.mutated_from)},
                     {"to", access_name(meta.access[*meta.mutated_site])}};
  }
  return j;
}

std::string recipe_to_text(const RecipeMeta& meta) {
  std::string out;
  char line[256];
  const auto& sites = meta.protocol->sites;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const auto& site = sites[i];
    const Access a = meta.access[i];
    const bool changed = meta.mutated_site == i;
    std::snprintf(line, sizeof line, "  %s %-28.*s %-8.*s %-26.*s %.*s\n", changed ? "*" : " ",
                  static_cast<int>(site.name.size()), site.name.data(), static_cast<int>(access_name(a).size()),
                  access_name(a).data(), static_cast<int>(kernel_spelling(site.kind, a).size()),
                  kernel_spelling(site.kind, a).data(), static_cast<int>(site.seed_code.size()),
                  site.seed_code.data());
    out += line;
  }
  for (auto& [name, value] : meta.options) {
    out += "    option " + name + " = " + (value ? "true" : "false") + "\n";
  }
  return out;
}

}  // namespace dfrace
