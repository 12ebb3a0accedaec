#include "check/report.hpp"

#include <fstream>
#include <sstream>

#include "core/format.hpp"

namespace dfrace::check {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxEmbeddedBytes = 64 * 1024;  // a trace longer than this is cut, with a pointer to the file

std::string read_file_capped(const std::string& path, bool* cut) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::string s(kMaxEmbeddedBytes + 1, '\0');
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<std::size_t>(in.gcount()));
  *cut = s.size() > kMaxEmbeddedBytes;
  if (*cut) s.resize(kMaxEmbeddedBytes);
  return s;
}

bool is_picture(const std::string& path) { return fs::path(path).extension() == ".svg"; }
bool is_text(const std::string& path) {
  const auto ext = fs::path(path).extension().string();
  return ext == ".txt" || ext == ".log" || ext == ".history" || ext == ".trace" || ext == ".md";
}

// docs/semantics.md §5: a clean verdict says which directions of the protocol the configuration exercised.
std::string exercised_text(const Verdict& v) {
  if (!v.coverage) return "exercised: not reported";
  std::string s;
  for (const auto& d : v.coverage->describe()) s += (s.empty() ? "" : ", ") + d;
  return "exercised: " + (s.empty() ? std::string("none") : s);
}

const char* cell_class(const EngineCell& c) {
  if (!c.verdict) return "none";
  return c.verdict->clean() ? "clean" : "flagged";
}

}  // namespace

std::string html_escape(const std::string& s) { return xml_escape(s); }

std::string render_markdown(const Matrix& m, const ReportInfo& info) {
  std::ostringstream md;
  md << "# " << info.title << "\n\n" << info.generated << " — " << info.how_far << "\n\n";
  md << "| recipe | claim |";
  for (const auto& e : m.engines) md << " " << e << " |";
  md << " engines |\n|---|---|";
  for (std::size_t i = 0; i < m.engines.size(); ++i) md << "---|";
  md << "---|\n";
  for (const auto& r : m.rows) {
    md << "| `" << r.recipe << "` | " << (r.claimed_correct ? "correct" : r.is_mutant ? "mutant" : "buggy") << " |";
    for (const auto& e : m.engines) {
      auto it = r.cells.find(e);
      if (it == r.cells.end()) md << " - |";
      else if (!it->second.verdict) md << " no verdict: " << it->second.error << " |";
      else if (it->second.verdict->clean()) md << " " << it->second.verdict->line() << "; " << exercised_text(*it->second.verdict) << "; " << covered_text(it->second) << " |";
      else md << " " << it->second.verdict->line() << "; " << covered_text(it->second) << " |";
    }
    md << " " << r.agreement_text() << " |\n";
  }
  md << "\n**" << m.summary_line() << "**\n\n## Distinct bugs per recipe\n\n";
  for (const auto& r : m.rows) {
    md << "- `" << r.recipe << "` (claimed " << (r.claimed_correct ? "correct" : r.is_mutant ? "mutant" : "buggy")
       << "): " << r.agreement_text() << "\n";
    for (const auto& note : row_notes(m, r)) md << "  - " << note << "\n";
  }
  md << "\n## Findings\n\n";
  for (const auto& r : m.rows) {
    for (const auto& [engine, c] : r.cells) {
      if (!c.verdict || c.verdict->clean()) continue;
      md << "### " << r.recipe << " — " << engine << "\n\n" << c.verdict->line() << "\n\n";
      if (!c.verdict->replay.empty()) md << "Replay: `" << c.verdict->replay << "`\n\n";
      for (const auto& a : c.verdict->artifacts) md << "- " << a << "\n";
      md << "\n";
    }
  }
  return md.str();
}

std::string render_html(const Matrix& m, const ReportInfo& info) {
  std::ostringstream h;
  h << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << html_escape(info.title)
    << "</title>\n<style>\n"
       "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}\n"
       "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.4em .6em;"
       "vertical-align:top;font-size:14px}\nth{background:#eee}td.clean{background:#e3f6e3}"
       "td.flagged{background:#fbe0e0}td.none{background:#f3f3c8}\ntr.disagree td.agreement{font-weight:bold;"
       "color:#a00}\n.summary{font-size:18px;font-weight:bold;margin:1em 0}.summary.bad{color:#a00}"
       ".summary.good{color:#070}.exercised{color:#555;font-size:12px;margin-top:.3em}\npre{background:#f6f6f6;border:1px solid #ddd;padding:.6em;overflow:auto;"
       "max-height:30em;font-size:12px}\ncode{background:#f0f0f0;padding:0 .2em}.picture{overflow:auto;"
       "border:1px solid #ddd;margin:.5em 0}\n</style></head><body>\n";
  h << "<h1>" << html_escape(info.title) << "</h1>\n<p>" << html_escape(info.generated) << " — "
    << html_escape(info.how_far) << "</p>\n";
  h << "<table id=\"matrix\"><thead><tr><th>recipe</th><th>claim</th>";
  for (const auto& e : m.engines) h << "<th>" << html_escape(e) << "</th>";
  h << "<th>engines</th></tr></thead><tbody>\n";
  for (const auto& r : m.rows) {
    h << "<tr class=\"" << (r.agreement() == Agreement::kConflict ? "disagree" : "agree") << "\" data-recipe=\""
      << html_escape(r.recipe) << "\"><td><code>" << html_escape(r.recipe) << "</code></td><td>"
      << (r.claimed_correct ? "correct" : r.is_mutant ? "mutant" : "buggy") << "</td>";
    for (const auto& e : m.engines) {
      auto it = r.cells.find(e);
      if (it == r.cells.end()) {
        h << "<td class=\"none\">-</td>";
        continue;
      }
      const EngineCell& c = it->second;
      h << "<td class=\"" << cell_class(c) << "\">";
      if (c.verdict) {
        const bool finding = !c.verdict->clean();
        if (finding) h << "<a href=\"#" << html_escape(r.recipe + "-" + e) << "\">";
        h << html_escape(c.verdict->line());
        if (finding) h << "</a>";
        if (!finding) h << "<div class=\"exercised\">" << html_escape(exercised_text(*c.verdict)) << "</div>";
        h << "<div class=\"exercised\">" << html_escape(covered_text(c)) << "</div>";
      } else {
        h << "no verdict: " << html_escape(c.error);
      }
      h << "</td>";
    }
    h << "<td class=\"agreement\">" << html_escape(r.agreement_text()) << "</td></tr>\n";
  }
  h << "</tbody></table>\n<p class=\"summary " << (m.problems() ? "bad" : "good")
    << "\">" << html_escape(m.summary_line()) << "</p>\n<h2>Distinct bugs per recipe</h2>\n<ul id=\"bugs\">\n";
  for (const auto& r : m.rows) {
    h << "<li><code>" << html_escape(r.recipe) << "</code>: " << html_escape(r.agreement_text()) << "<ul>";
    for (const auto& note : row_notes(m, r)) h << "<li>" << html_escape(note) << "</li>";
    h << "</ul></li>\n";
  }
  h << "</ul>\n<h2>Findings</h2>\n";
  for (const auto& r : m.rows) {
    for (const auto& [engine, c] : r.cells) {
      if (!c.verdict || c.verdict->clean()) continue;
      h << "<section class=\"finding\" id=\"" << html_escape(r.recipe + "-" + engine) << "\"><h3><code>"
        << html_escape(r.recipe) << "</code> — " << html_escape(engine) << "</h3>\n<p><b>"
        << html_escape(c.verdict->line()) << "</b></p>\n";
      if (!c.verdict->replay.empty()) h << "<p>Replay: <code>" << html_escape(c.verdict->replay) << "</code></p>\n";
      for (const auto& a : c.verdict->artifacts) {
        bool cut = false;
        if (is_picture(a)) {
          std::string svg = read_file_capped(a, &cut);
          if (!svg.empty() && !cut && svg.find("<svg") != std::string::npos) {
            h << "<div class=\"picture\">" << svg.substr(svg.find("<svg")) << "</div>\n";
            continue;
          }
        }
        if (is_text(a)) {
          std::string text = read_file_capped(a, &cut);
          h << "<p>" << html_escape(a) << "</p><pre class=\"trace\">" << html_escape(text)
            << (cut ? "\n... (cut: the whole file is " + html_escape(a) + ")" : "") << "</pre>\n";
          continue;
        }
        h << "<p>" << html_escape(a) << "</p>\n";
      }
      h << "</section>\n";
    }
  }
  h << "</body></html>\n";
  return h.str();
}

std::vector<fs::path> write_report(const Matrix& m, const ReportInfo& info, const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<fs::path> written;
  auto write = [&](const char* name, const std::string& content) {
    fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << content;
    written.push_back(p);
  };
  nlohmann::json j = m.to_json();
  j["generated"] = info.generated;
  j["how_far"] = info.how_far;
  write("report.json", j.dump(2) + "\n");
  write("report.md", render_markdown(m, info));
  write("report.html", render_html(m, info));
  return written;
}

}  // namespace dfrace::check
