// The registered protocols (the top-level CMakeLists.txt's DFRACE_PROTOCOLS, one folder under src/protocols/
// each) and every recipe of them, for engines, check, reports and the CLI, which name no protocol.
//
// Contract
// - A recipe name is unique across the registered protocols (checked when the catalogue is first listed); a name
//   may also be qualified by its protocol, "my_protocol/my_recipe".
// - `for_each_protocol(f)` calls `f.template operator()<Plugin>()` for each plug-in, in registration order.
// - `for_each_recipe(mutants, f)` and `with_recipe(name, f)` call
//   `f.template operator()<Plugin, kRecipe>(const RecipeMeta&)`: the recipe as a compile-time constant of its
//   protocol's Recipe type, to instantiate that protocol's pool or scenario with.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue.hpp"
#include "protocols/registered.hpp"  // generated: the plug-ins' headers and DFRACE_REGISTERED_PROTOCOLS

namespace dfrace::protocols {

template <class... Plugins>
struct PluginList {
  template <class F>
  static void for_each(F&& f) {
    (f.template operator()<Plugins>(), ...);
  }
};
using Registered = PluginList<DFRACE_REGISTERED_PROTOCOLS>;

template <class F>
void for_each_protocol(F&& f) {
  Registered::for_each(f);
}

template <class F>
void for_each_recipe(bool include_mutants, F&& f) {
  for_each_protocol([&]<class Plugin>() {
    Catalogue<Plugin>::for_each_recipe(include_mutants, [&]<Recipe<typename Plugin::Protocol> kRecipe>(
                                                             const RecipeMeta& meta) {
      f.template operator()<Plugin, kRecipe>(meta);
    });
  });
}

// "my_protocol/my_recipe" -> the protocol part and the recipe part; an unqualified name has an empty protocol.
std::pair<std::string_view, std::string_view> split_qualified(std::string_view name);

// Returns false, calling nothing, when no recipe has that name (plain or qualified).
template <class F>
bool with_recipe(std::string_view name, F&& f) {
  const auto parts = split_qualified(name);  // not a structured binding: clang cannot capture one
  const std::string_view protocol = parts.first, recipe = parts.second;
  bool found = false;
  for_each_recipe(true, [&]<class Plugin, Recipe<typename Plugin::Protocol> kRecipe>(const RecipeMeta& meta) {
    if (!found && meta.name == recipe && (protocol.empty() || protocol == meta.protocol->name)) {
      found = true;
      f.template operator()<Plugin, kRecipe>(meta);
    }
  });
  return found;
}

std::vector<const ProtocolInfo*> protocols();
const ProtocolInfo* find_protocol(std::string_view name);  // nullptr when none is registered by that name
std::vector<RecipeMeta> all_recipes(bool include_mutants);
std::optional<RecipeMeta> find_recipe(std::string_view name);  // plain or qualified
std::vector<std::string> recipe_names(bool include_mutants);

}  // namespace dfrace::protocols
