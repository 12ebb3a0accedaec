#include "render/graph.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "render/focus.hpp"

namespace dfrace::render {
namespace {

using rt::Event;
using rt::EventKind;

// A DOT string: quotes and backslashes escaped, a newline becomes a centred line break.
std::string dot_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '\n') {
      o += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}

// Two short lines per node: what (site or operation), then the access: "W count@3 = 0".
std::string node_label(const rt::Trace& t, const Event& e, std::size_t step) {
  std::string head = "#" + std::to_string(step) + " ";
  switch (e.kind) {
    case EventKind::kLoad:
      return head + e.site + "\nR " + e.location + " = " + e.value + (e.stale ? " (stale)" : "");
    case EventKind::kStore: return head + e.site + "\nW " + e.location + " = " + e.value;
    case EventKind::kRmw:
      return head + e.site + "\n" + e.note + " " + e.location + ": " + e.old_value +
             (e.stored ? " -> " + e.value : " (failed)");
    case EventKind::kFence: return head + e.site + "\n" + e.note;
    case EventKind::kRace:
      return head + e.site + "\n" + (e.write ? "W " : "R ") + e.location + ": races with\n" + e.other_site + " (" +
             t.who(e.other_tid) + ")";
    default: return head + e.note;
  }
}

}  // namespace

std::string graph_dot(const rt::Trace& t, bool full) {
  const Focus f = focus_of(t, full);
  std::ostringstream o;
  o << "digraph execution {\n"
       "  graph [rankdir=TB, newrank=true, nodesep=0.3, ranksep=0.25, fontname=\"Helvetica\", fontsize=11];\n"
       "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f7f7f7\", color=\"#888888\", "
       "fontname=\"Helvetica\", fontsize=10];\n"
       "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n";
  // Per-thread columns, program order inside.
  std::map<int, std::vector<std::size_t>> column;
  std::vector<std::size_t> step_of(t.events.size(), 0);
  std::size_t step = 0, verdict = t.events.size();
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    if (t.events[i].kind == EventKind::kVerdict) {
      verdict = i;
      continue;
    }
    if (f.race_access[i] >= 0) continue;  // told on its access (as in the timeline)
    step_of[i] = ++step;
    if (f.shown[i]) column[t.events[i].tid].push_back(i);
  }
  for (const auto& [tid, events] : column) {
    o << "  subgraph cluster_t" << tid << " {\n    label=\"" << dot_escape(t.who(tid))
      << "\"; style=\"rounded\"; color=\"#bbbbbb\"; fontsize=12;\n";
    for (std::size_t i : events) {
      const Event& e = t.events[i];
      o << "    e" << i << " [label=\"" << dot_escape(node_label(t, e, step_of[i])) << "\"";
      if (f.key[i]) o << ", color=\"#d00000\", fontcolor=\"#d00000\", penwidth=2.2, fillcolor=\"#fff0f0\"";
      else if (e.kind == EventKind::kOp) o << ", fillcolor=\"#eef3ff\"";
      o << "];\n";
    }
    for (std::size_t k = 1; k < events.size(); ++k) {
      o << "    e" << events[k - 1] << " -> e" << events[k] << " [color=\"#555555\", weight=10"
        << (k == 1 ? ", label=\"po\"" : "") << "];\n";
    }
    o << "  }\n";
  }
  // Reads-from (and synchronizes-with when the load acquired a release), store -> load.
  std::map<std::uint32_t, std::size_t> store_event;
  std::size_t last_queue = t.events.size();
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    const Event& e = t.events[i];
    const bool own_store = rt::writes(e);  // registered after its own read below
    if (e.kind == EventKind::kOp && e.note == "schedule_work -> true") last_queue = i;
    if (f.shown[i] && rt::reads(e)) {
      auto s = store_event.find(rt::store_read(e));
      if (s != store_event.end() && f.shown[s->second] && t.events[s->second].tid != e.tid) {
        if (e.synchronizes) {
          o << "  e" << s->second << " -> e" << i << " [color=\"#1a8f3a\", penwidth=1.8, label=\"rf, sw\"];\n";
        } else {
          o << "  e" << s->second << " -> e" << i << " [color=\"#1f6fbf\", style=dashed, label=\"rf\""
            << (e.stale ? ", fontcolor=\"#d00000\", xlabel=\"stale\"" : "") << "];\n";
        }
      }
    }
    if (own_store) store_event[e.store_no] = i;
    if (!f.shown[i]) continue;
    if (e.kind == EventKind::kOp && e.note == "drain work starts" && last_queue < t.events.size() &&
        f.shown[last_queue]) {
      o << "  e" << last_queue << " -> e" << i << " [color=\"#1a8f3a\", penwidth=1.8, label=\"sw\"];\n";
    }
  }
  // The racing pairs.
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    const Event& e = t.events[i];
    if (e.kind != EventKind::kRace || !f.shown[i]) continue;
    const std::size_t at = f.race_access[i] >= 0 ? static_cast<std::size_t>(f.race_access[i]) : i;
    for (std::size_t j = i; j-- > 0;) {
      const Event& other = t.events[j];
      if (other.tid == e.other_tid && other.site == e.other_site && other.location == e.location &&
          rt::is_memory_access(other)) {
        if (f.shown[j]) {
          o << "  e" << j << " -> e" << at << " [color=\"#d00000\", penwidth=2.5, dir=both, style=bold, "
               "constraint=false, label=\"data race\", fontcolor=\"#d00000\"];\n";
        }
        break;
      }
    }
  }
  if (verdict < t.events.size()) {
    const Event& v = t.events[verdict];
    o << "  verdict [shape=note, style=filled, fillcolor=\"#fff0f0\", color=\"#d00000\", fontcolor=\"#d00000\", "
         "label=\"" << dot_escape(v.note) << "\"];\n";
    for (std::size_t j = verdict; j-- > 0;) {  // hangs below the last key access
      if (f.key[j] && f.race_access[j] < 0 && t.events[j].kind != EventKind::kVerdict) {
        o << "  e" << j << " -> verdict [color=\"#d00000\", style=dotted];\n";
        break;
      }
    }
  }
  o << "}\n";
  return o.str();
}

bool render_svg(const std::string& dot_text, const std::string& dot_path, const std::string& svg_path,
                std::string& why) {
  {
    std::ofstream d(dot_path);
    d << dot_text;
    if (!d) {
      why = "cannot write " + dot_path;
      return false;
    }
  }
  if (std::system("command -v dot >/dev/null 2>&1") != 0) {
    why = "Graphviz is not installed (apt-get install graphviz); the graph is in " + dot_path;
    return false;
  }
  auto quote = [](const std::string& p) {
    std::string q = "'";
    for (char c : p) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  const std::string cmd = "dot -Tsvg " + quote(dot_path) + " -o " + quote(svg_path) + " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) {
    why = "dot failed on " + dot_path;
    return false;
  }
  return true;
}

}  // namespace dfrace::render
