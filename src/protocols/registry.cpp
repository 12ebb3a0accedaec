#include "protocols/registry.hpp"

#include <set>
#include <stdexcept>

namespace dfrace::protocols {

std::pair<std::string_view, std::string_view> split_qualified(std::string_view name) {
  const auto slash = name.find('/');
  if (slash == std::string_view::npos) return {{}, name};
  return {name.substr(0, slash), name.substr(slash + 1)};
}

std::vector<const ProtocolInfo*> protocols() {
  std::vector<const ProtocolInfo*> out;
  for_each_protocol([&]<class Plugin>() { out.push_back(&protocol_info<typename Plugin::Protocol>()); });
  return out;
}

const ProtocolInfo* find_protocol(std::string_view name) {
  for (const ProtocolInfo* p : protocols()) {
    if (p->name == name) return p;
  }
  return nullptr;
}

std::vector<RecipeMeta> all_recipes(bool include_mutants) {
  std::vector<RecipeMeta> out;
  for_each_protocol([&]<class Plugin>() {
    for (auto& m : Catalogue<Plugin>::all_recipes(include_mutants)) out.push_back(std::move(m));
  });
  // Names are how users, finding files and reports refer to a recipe: two protocols may not share one.
  static const bool unique = [] {
    std::set<std::string> seen;
    for_each_protocol([&]<class Plugin>() {
      for (const auto& m : Catalogue<Plugin>::all_recipes(true)) {
        if (!seen.insert(m.name).second) {
          throw std::logic_error("recipe name '" + m.name + "' is used by two registered protocols");
        }
      }
    });
    return true;
  }();
  (void)unique;
  return out;
}

std::optional<RecipeMeta> find_recipe(std::string_view name) {
  const auto [protocol, recipe] = split_qualified(name);
  for (auto& m : all_recipes(true)) {
    if (m.name == recipe && (protocol.empty() || protocol == m.protocol->name)) return m;
  }
  return std::nullopt;
}

std::vector<std::string> recipe_names(bool include_mutants) {
  std::vector<std::string> out;
  for (auto& m : all_recipes(include_mutants)) out.push_back(m.name);
  return out;
}

}  // namespace dfrace::protocols
