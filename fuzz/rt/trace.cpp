#include "rt/trace.hpp"
#include "core/format.hpp"

#include <algorithm>
#include <sstream>

namespace dfrace::rt {
namespace {

std::string who(int tid, const std::vector<std::string>& names) {
  if (tid < 0) return "init";
  return tid < static_cast<int>(names.size()) ? names[tid] : "T" + std::to_string(tid);
}

}  // namespace

std::string Trace::describe(const Event& e, const std::vector<std::string>& names) {
  switch (e.kind) {
    case EventKind::kLoad:
      return e.site + ": reads " + e.location + "=" + e.value + " (store #" + std::to_string(e.store_no) + " by " +
             who(e.from_tid, names) + (e.stale ? ", STALE)" : ")");
    case EventKind::kStore:
      return e.site + ": writes " + e.location + "=" + e.value + " (store #" + std::to_string(e.store_no) + ")";
    case EventKind::kFence: return e.site + ": " + e.note;
    case EventKind::kOp: return e.note;
    case EventKind::kVerdict: return "==> " + e.note;
  }
  return "?";
}

std::string Trace::timeline(std::size_t width) const {
  std::ostringstream out;
  const std::size_t n = std::max<std::size_t>(thread_names.size(), 1);
  out << "step  ";
  for (std::size_t t = 0; t < n; ++t) {
    std::string h = t < thread_names.size() ? thread_names[t] : "";
    h.resize(width, ' ');
    out << "| " << h;
  }
  out << "\n" << std::string(6 + n * (width + 2), '-') << "\n";
  std::size_t step = 0;
  for (const Event& e : events) {
    std::string text = describe(e, thread_names);
    if (e.kind == EventKind::kVerdict) {
      out << text << "\n";
      continue;
    }
    // Long texts wrap inside their column so the columns stay aligned.
    bool first = true;
    for (std::size_t off = 0; off < text.size() || first; off += width) {
      std::string num = first ? std::to_string(++step) : "";
      num.resize(6, ' ');
      out << num;
      for (std::size_t t = 0; t < n; ++t) {
        std::string cell = static_cast<int>(t) == e.tid ? text.substr(off, width) : "";
        cell.resize(width, ' ');
        out << "| " << cell;
      }
      out << "\n";
      first = false;
    }
  }
  return out.str();
}

std::string Trace::svg() const {
  const int col = 470, row = 18, left = 50, top = 40;
  const int n = std::max<int>(static_cast<int>(thread_names.size()), 1);
  const int h = top + row * (static_cast<int>(events.size()) + 2);
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << left + n * col << "\" height=\"" << h
    << "\" font-family=\"monospace\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  for (int t = 0; t < n; ++t) {
    int x = left + t * col;
    o << "<line x1=\"" << x << "\" y1=\"" << top - 10 << "\" x2=\"" << x << "\" y2=\"" << h << "\" stroke=\"#ccc\"/>\n";
    o << "<text x=\"" << x + 4 << "\" y=\"20\" font-weight=\"bold\">" << xml_escape(thread_names[t]) << "</text>\n";
  }
  int y = top;
  int step = 0;
  for (const Event& e : events) {
    y += row;
    const char* color = "black";
    if (e.kind == EventKind::kLoad) color = e.stale ? "#c00" : "#06c";
    if (e.kind == EventKind::kStore) color = "#080";
    if (e.kind == EventKind::kOp && e.note.find("RACES") != std::string::npos) color = "#c00";
    if (e.kind == EventKind::kVerdict) {
      o << "<text x=\"4\" y=\"" << y << "\" fill=\"#c00\" font-weight=\"bold\">" << xml_escape(e.note) << "</text>\n";
      continue;
    }
    int x = left + e.tid * col + 4;
    o << "<text x=\"4\" y=\"" << y << "\" fill=\"#999\">" << ++step << "</text>";
    o << "<text x=\"" << x << "\" y=\"" << y << "\" fill=\"" << color << "\">"
      << xml_escape(describe(e, thread_names)) << "</text>\n";
  }
  o << "</svg>\n";
  return o.str();
}

}  // namespace dfrace::rt
