#include "render/timeline.hpp"

#include <algorithm>
#include <sstream>

#include "render/focus.hpp"

namespace dfrace::render {

std::string timeline(const rt::Trace& t, const TimelineOptions& options) {
  const Focus f = focus_of(t, options.full);
  std::size_t name_width = 6;
  for (const auto& n : t.thread_names) name_width = std::max(name_width, n.size());
  const std::size_t indent = 6 + name_width + 2;
  std::ostringstream out;
  out << "step  " << std::string("thread") + std::string(name_width - 6, ' ') << "  event\n";
  std::size_t step = 0, hidden = 0;
  auto say_hidden = [&] {
    if (hidden == 0) return;
    out << "   ...  (" << hidden << (hidden == 1 ? " step" : " steps") << " not shown; --full shows every step)\n";
    hidden = 0;
  };
  // A race whose access went on is told on that access's line.
  std::vector<std::string> race_note(t.events.size());
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    const rt::Event& e = t.events[i];
    if (f.race_access[i] >= 0) race_note[f.race_access[i]] += " -- DATA RACE with " + e.other_site + " by " + t.who(e.other_tid);
  }
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    const rt::Event& e = t.events[i];
    if (f.race_access[i] >= 0) continue;
    if (e.kind == rt::EventKind::kVerdict) {
      say_hidden();
      out << wrap(t.describe(e), options.width, 4) << "\n";
      continue;
    }
    ++step;
    if (!f.shown[i]) {
      ++hidden;
      continue;
    }
    say_hidden();
    std::string num = std::to_string(step) + (f.key[i] ? "*" : " ");
    std::string name = t.who(e.tid);
    out << std::string(num.size() < 5 ? 5 - num.size() : 0, ' ') << num << " " << name
        << std::string(name_width - std::min(name_width, name.size()), ' ') << "  "
        << wrap(t.describe(e) + race_note[i], options.width, indent) << "\n";
  }
  say_hidden();
  return out.str();
}

}  // namespace dfrace::render
