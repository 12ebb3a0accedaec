// The report of `dfrace check`: report.json (the matrix, machine-readable), report.md and a self-contained
// report.html (no external resources: styles inline, each finding's trace and timeline picture embedded).
#pragma once

#include <filesystem>
#include <string>

#include "check/matrix.hpp"

namespace dfrace::check {

struct ReportInfo {
  std::string title = "dfrace check";
  std::string generated;     // when, in UTC
  std::string how_far;       // the budget and presets used
};

// Writes the three files into `dir` (created if needed). Returns the paths written, report.html last.
std::vector<std::filesystem::path> write_report(const Matrix& m, const ReportInfo& info,
                                                const std::filesystem::path& dir);

std::string render_markdown(const Matrix& m, const ReportInfo& info);
std::string render_html(const Matrix& m, const ReportInfo& info);
std::string html_escape(const std::string& s);

}  // namespace dfrace::check
