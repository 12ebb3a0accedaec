// What dfrace-relacy prints: per recipe one verdict (the first configuration that flagged it, or "clean" with how
// far every configuration looked), the per-configuration runs, the mutant table, and the comparison with a
// checked-in expectations file (the ctest regression check).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "core/verdict.hpp"
#include "core/catalogue.hpp"
#include "runner/run_model.hpp"

namespace dfrace::relacy {

struct RecipeReport {
  RecipeMeta meta;
  std::vector<RunResult> runs;
};

Verdict combined_verdict(const RecipeReport& r);
// The engine result (infra/engine_result.hpp): one verdict per recipe, each with its runs per configuration. It
// names the first recipe's protocol (check runs one process per protocol).
nlohmann::json reports_to_json(const std::vector<RecipeReport>& reports);
void print_summary(std::ostream& out, const std::vector<RecipeReport>& reports);
void print_mutant_table(std::ostream& out, const std::vector<RecipeReport>& reports);

// Expectations files (each protocol's expected_verdicts.json, beside its recipes; several are merged):
// {"recipes": {"<name>": {"verdict": "data race", "detail": "..."}}}. "detail" is compared for findings only (a
// clean detail holds iteration counts). A built-in recipe claimed correct needs no entry: it must be clean. Returns kExitClean when every recipe matches,
// kExitFinding with the differences in `why`, kExitUsage when the file is unreadable or malformed.
int compare_with_expectations(const std::vector<std::string>& paths, const std::vector<RecipeReport>& reports, std::string& why);

}  // namespace dfrace::relacy
