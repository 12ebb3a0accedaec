#include "core/program_shape.hpp"

#include <algorithm>
#include <functional>

namespace dfrace {

bool ProgramShape::fits_within(const ProgramShape& other) const {
  if (cpus > other.cpus || size > other.size) return false;
  std::vector<unsigned> mine = pushes, theirs = other.pushes;
  std::sort(mine.begin(), mine.end(), std::greater<>());
  std::sort(theirs.begin(), theirs.end(), std::greater<>());
  for (std::size_t i = 0; i < mine.size(); ++i) {
    if (mine[i] > (i < theirs.size() ? theirs[i] : 0)) return false;
  }
  return true;
}

std::string ProgramShape::describe() const {
  std::string p;
  for (unsigned n : pushes) p += (p.empty() ? "" : "+") + std::to_string(n);
  return std::to_string(cpus) + (cpus == 1 ? " CPU" : " CPUs") + ", SIZE " + std::to_string(size) + ", pushes " +
         (p.empty() ? "0" : p);
}

nlohmann::json ProgramShape::to_json() const { return {{"cpus", cpus}, {"size", size}, {"pushes", pushes}}; }

std::optional<ProgramShape> ProgramShape::from_json(const nlohmann::json& j, std::string& why) {
  auto at_least = [](const nlohmann::json& v, long long low) {
    return v.is_number_integer() && v.get<long long>() >= low && v.get<long long>() <= 1000;
  };
  auto positive = [&](const nlohmann::json& v) { return at_least(v, 1); };
  if (!j.is_object()) {
    why = "is not an object";
    return std::nullopt;
  }
  if (!j.contains("cpus") || !positive(j["cpus"]) || !j.contains("size") || !positive(j["size"])) {
    why = "needs \"cpus\" and \"size\", integers from 1 to 1000";
    return std::nullopt;
  }
  ProgramShape s;
  s.cpus = j["cpus"].get<unsigned>();
  s.size = j["size"].get<unsigned>();
  if (!j.contains("pushes") || !j["pushes"].is_array() || j["pushes"].size() != s.cpus) {
    why = "needs \"pushes\", a list of one count per CPU";
    return std::nullopt;
  }
  for (const auto& n : j["pushes"]) {
    if (!at_least(n, 0)) {
      why = "\"pushes\" holds a count that is not an integer from 0 to 1000";
      return std::nullopt;
    }
    s.pushes.push_back(n.get<unsigned>());
  }
  return s;
}

}  // namespace dfrace
