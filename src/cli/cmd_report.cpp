// `dfrace report --results report.json --out DIR`: renders a saved matrix again (after editing the styles, or to
// turn a CI artifact into HTML).
#include <cstdio>
#include <fstream>

#include "check/report.hpp"
#include "cli/commands.hpp"
#include "infra/exit_codes.hpp"

namespace dfrace::cli {

namespace {

struct ReportOptions {
  std::string results;
  std::string out = "dfrace-report";
};

int run_report(const ReportOptions& opt) {
  std::ifstream in(opt.results);
  if (!in) {
    std::fprintf(stderr, "dfrace: cannot read '%s'\n", opt.results.c_str());
    return kExitUsage;
  }
  auto j = nlohmann::json::parse(in, nullptr, false);
  check::Matrix m;
  try {
    if (j.is_discarded()) throw std::runtime_error("not JSON");
    m = check::Matrix::from_json(j);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dfrace: '%s' is not a dfrace report.json (%s)\n", opt.results.c_str(), e.what());
    return kExitUsage;
  }
  check::ReportInfo info;
  info.generated = j.value("generated", "");
  info.how_far = j.value("how_far", "");
  auto written = check::write_report(m, info, opt.out);
  std::printf("%s\n", written.back().c_str());
  return kExitClean;
}

}  // namespace

Action add_report_command(CLI::App& app) {
  auto opt = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand("report", "render a saved report.json as report.md and report.html");
  cmd->add_option("--results", opt->results, "a report.json written by dfrace check")->required();
  cmd->add_option("--out", opt->out, "report directory");
  return [opt] { return run_report(*opt); };
}

}  // namespace dfrace::cli
