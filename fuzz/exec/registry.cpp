// The one translation unit that instantiates execute<Plugin, kRecipe> for every registered protocol's catalogue.
#include "exec/registry.hpp"

#include <string>
#include <unordered_map>

#include "exec/executor.hpp"
#include "protocols/registry.hpp"
#include "schedule/finding_file.hpp"

namespace dfrace::fuzz {

namespace {

struct Entry {
  ExecFn exec;
  const ProtocolInfo* protocol;
};

const Entry* find_entry(std::string_view name) {
  static const std::unordered_map<std::string, Entry> table = [] {
    std::unordered_map<std::string, Entry> t;
    protocols::for_each_recipe(
        true, [&]<class Plugin, Recipe<typename Plugin::Protocol> kRecipe>(const RecipeMeta& m) {
          const Entry e{&execute<Plugin, kRecipe>, m.protocol};
          t.emplace(m.name, e);
          t.emplace(std::string(m.protocol->name) + "/" + m.name, e);
        });
    return t;
  }();
  auto it = table.find(std::string(name));
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace

ExecFn find_executor(std::string_view recipe) {
  const Entry* e = find_entry(recipe);
  return e == nullptr ? nullptr : e->exec;
}

const ProtocolInfo* protocol_of(std::string_view recipe) {
  const Entry* e = find_entry(recipe);
  return e == nullptr ? nullptr : e->protocol;
}

std::string_view protocol_name_of(std::string_view recipe) {
  const ProtocolInfo* p = protocol_of(recipe);
  return p == nullptr ? std::string_view() : p->name;
}

std::uint64_t protocol_site_hash(const ProtocolInfo& protocol) { return site_table_hash(protocol.sites); }

const ProtocolInfo* version1_protocol() {
  for (const ProtocolInfo* p : protocols::protocols()) {
    if (p->reads_version1_findings) return p;
  }
  return nullptr;
}

}  // namespace dfrace::fuzz
