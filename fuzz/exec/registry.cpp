// The one translation unit that instantiates execute<kRecipe> for the whole catalogue.
#include "exec/registry.hpp"

#include <string>
#include <unordered_map>

#include "exec/executor.hpp"
#include "schedule/finding_file.hpp"
#include "protocols/percpu_swap/catalogue.hpp"

namespace dfrace::fuzz {

const std::vector<std::string_view>& site_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& s : percpu_swap::Protocol::kSites) v.push_back(s.name);
    return v;
  }();
  return names;
}

std::string_view protocol_name() { return percpu_swap::Protocol::kName; }

std::uint64_t protocol_site_hash() {
  static const std::uint64_t hash = site_table_hash(percpu_swap::Protocol::kSites);
  return hash;
}

bool reads_version1_findings() { return percpu_swap::Protocol::kReadsVersion1Findings; }

const std::vector<std::string>& direction_names() { return dfrace::direction_names<percpu_swap::Protocol>(); }

ExecFn find_executor(std::string_view recipe) {
  static const std::unordered_map<std::string, ExecFn> table = [] {
    std::unordered_map<std::string, ExecFn> t;
    percpu_swap::for_each_recipe(true, [&]<Recipe<percpu_swap::Protocol> kRecipe>(const percpu_swap::RecipeMeta& m) {
      t.emplace(m.name, &execute<kRecipe>);
    });
    return t;
  }();
  auto it = table.find(std::string(recipe));
  return it == table.end() ? nullptr : it->second;
}

}  // namespace dfrace::fuzz
