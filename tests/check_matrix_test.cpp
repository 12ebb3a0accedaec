// How `dfrace check` combines engine verdicts: the agreement rules and the exit-status inputs. The verdicts below
// are inputs to the combining logic (recipe_a, recipe_b are placeholders), not claims about any real recipe.
#include <gtest/gtest.h>

#include "check/engines.hpp"
#include "check/matrix.hpp"
#include "check/report.hpp"

namespace dfrace::check {
namespace {

EngineCell cell(VerdictKind kind, const std::string& detail) {
  Verdict v;
  v.kind = kind;
  v.detail = detail;
  return EngineCell{v, "", 1.0};
}

EngineCell missing(const std::string& why) { return EngineCell{std::nullopt, why, 1.0}; }

MatrixRow row(bool claimed_correct, std::map<std::string, EngineCell> cells) {
  return MatrixRow{"recipe_a", claimed_correct, false, std::move(cells)};
}

TEST(MatrixAgreementTest, AllCleanAgree) {
  auto r = row(true, {{"relacy", cell(VerdictKind::kClean, "exhaustive")}, {"fuzz", cell(VerdictKind::kClean, "")}});
  EXPECT_EQ(r.agreement(), Agreement::kAgreeClean);
  EXPECT_FALSE(r.flagged_by_any());
}

TEST(MatrixAgreementTest, DifferentSymptomsOfOneBugStillAgree) {
  auto r = row(false, {{"relacy", cell(VerdictKind::kDataRace, "a vs b")},
                       {"tsan", cell(VerdictKind::kUseAfterFree, "enqueue.slot_store")}});
  EXPECT_EQ(r.agreement(), Agreement::kAgreeFlagged);
  EXPECT_EQ(r.agreement_text(), "agree: flagged by relacy, tsan");
}

TEST(MatrixAgreementTest, CleanAgainstFlaggedIsADisagreement) {
  auto r = row(false, {{"relacy", cell(VerdictKind::kDataRace, "a vs b")}, {"fuzz", cell(VerdictKind::kClean, "10 s")}});
  EXPECT_EQ(r.agreement(), Agreement::kDisagree);
  EXPECT_EQ(r.agreement_text(), "DISAGREE: flagged by relacy, clean in fuzz");
}

TEST(MatrixAgreementTest, TsanCleanWhereTheModelsFlagIsTheX86Limit) {
  auto r = row(false, {{"relacy", cell(VerdictKind::kDataRace, "a vs b")},
                       {"fuzz", cell(VerdictKind::kDataRace, "a vs b")},
                       {"tsan", cell(VerdictKind::kClean, "10 s")}});
  EXPECT_TRUE(r.x86_limit());
  EXPECT_EQ(r.agreement(), Agreement::kAgreeFlagged);
  EXPECT_EQ(r.agreement_text().rfind("agree: flagged by fuzz, relacy; tsan clean: the x86 limit", 0), 0u)
      << r.agreement_text();
  // A second clean engine that models reordering makes it a real disagreement again.
  r.cells["fuzz"] = cell(VerdictKind::kClean, "10 s");
  EXPECT_FALSE(r.x86_limit());
  EXPECT_EQ(r.agreement(), Agreement::kDisagree);
}

TEST(MatrixAgreementTest, MissingVerdictIsIncompleteNotClean) {
  auto r = row(true, {{"relacy", cell(VerdictKind::kClean, "")}, {"fuzz", missing("timed out")}});
  EXPECT_EQ(r.agreement(), Agreement::kIncomplete);
  Matrix m{{"relacy", "fuzz"}, {r}};
  EXPECT_TRUE(m.any_error());
  EXPECT_FALSE(m.claimed_correct_flagged());
}

TEST(MatrixTest, ClaimedCorrectFlaggedByOneEngineDecidesTheExit) {
  Matrix m{{"relacy", "tsan"},
           {row(true, {{"relacy", cell(VerdictKind::kClean, "")}, {"tsan", cell(VerdictKind::kDataRace, "x vs y")}})}};
  EXPECT_TRUE(m.claimed_correct_flagged());
  EXPECT_TRUE(m.any_disagreement());
  EXPECT_NE(m.summary_line().find("claimed correct is flagged: recipe_a"), std::string::npos);
}

TEST(MatrixTest, JsonRoundTrip) {
  Matrix m{{"relacy", "fuzz"},
           {row(false, {{"relacy", cell(VerdictKind::kInvariant, "handle 3 freed twice")}, {"fuzz", missing("crashed")}})}};
  Matrix back = Matrix::from_json(m.to_json());
  ASSERT_EQ(back.rows.size(), 1u);
  EXPECT_EQ(back.rows[0].cells["relacy"].verdict->line(), "invariant: handle 3 freed twice");
  EXPECT_EQ(back.rows[0].cells["fuzz"].error, "crashed");
  EXPECT_EQ(back.engines, m.engines);
}

TEST(MatrixTest, TextRenderingHasARowPerRecipeAndTheSummary) {
  Matrix m{{"relacy"}, {row(false, {{"relacy", cell(VerdictKind::kDataRace, "drain.count_check vs enqueue.count_publish")}})}};
  const std::string text = render_text(m);
  EXPECT_NE(text.find("recipe_a"), std::string::npos);
  EXPECT_NE(text.find("data race: drain.count_check vs enq"), std::string::npos);
  EXPECT_NE(text.find(m.summary_line()), std::string::npos);
}

// check reads an engine's output by the result schema (infra/engine_result.hpp): a good result fills the cells,
// anything else becomes an error cell naming the problem and never a verdict.
struct FillCells : ::testing::Test {
  Matrix m{{"fuzz"}, {row(false, {}), row(false, {})}};
  EngineJob job{"fuzz", {"recipe_a", "recipe_b"}, "percpu_swap", {}, std::chrono::seconds(60)};
  void SetUp() override { m.rows[1].recipe = "recipe_b"; }
  static std::string result(const std::string& engine, const std::string& protocol, const std::string& verdicts) {
    return R"({"version": 1, "engine": ")" + engine + R"(", "protocol": ")" + protocol + R"(", "verdicts": [)" +
           verdicts + "]}";
  }
  static std::string verdict(const std::string& recipe, const std::string& word) {
    return R"({"recipe": ")" + recipe + R"(", "verdict": ")" + word + R"(", "detail": "d"})";
  }
  void fill(const std::string& out, int exit_code = 0) {
    fill_cells(job, JobOutcome{exit_code, 0, false, "", out, "last stderr line"}, 1.5, m);
  }
  const EngineCell& a() { return m.rows[0].cells["fuzz"]; }
  const EngineCell& b() { return m.rows[1].cells["fuzz"]; }
};

TEST_F(FillCells, AGoodResultFillsEveryRecipe) {
  fill(result("fuzz", "percpu_swap", verdict("recipe_a", "crash") + "," + verdict("recipe_b", "clean")), 1);
  ASSERT_TRUE(a().verdict && b().verdict);
  EXPECT_EQ(a().verdict->line(), "crash: d");
  EXPECT_EQ(b().verdict->line(), "clean (d)");
  EXPECT_EQ(a().verdict->engine, "fuzz");
  EXPECT_DOUBLE_EQ(a().seconds, 1.5);
}

TEST_F(FillCells, AMalformedResultIsAnErrorCellNotAVerdict) {
  // The layout check used to scrape: a verdict object nested anywhere. It is refused as a whole.
  fill(R"({"results": [{"engine": "fuzz", "recipe": "recipe_a", "verdict": "clean", "detail": "60 s"}]})");
  EXPECT_FALSE(a().verdict);
  EXPECT_FALSE(b().verdict);
  EXPECT_NE(a().error.find("engine exit 0, engine result: no \"version\""), std::string::npos) << a().error;
  EXPECT_NE(a().error.find("last stderr line"), std::string::npos) << a().error;
  EXPECT_EQ(m.rows[0].agreement(), Agreement::kIncomplete);
}

TEST_F(FillCells, AnotherEnginesOrProtocolsResultIsRefused) {
  fill(result("tsan", "percpu_swap", verdict("recipe_a", "clean")));
  EXPECT_FALSE(a().verdict);
  EXPECT_NE(a().error.find("names engine 'tsan', expected 'fuzz'"), std::string::npos) << a().error;
  fill(result("fuzz", "other_pool", verdict("recipe_a", "clean")));
  EXPECT_FALSE(a().verdict);
  EXPECT_NE(a().error.find("names protocol 'other_pool'"), std::string::npos) << a().error;
}

TEST_F(FillCells, ARecipeMissingFromTheResultIsAnErrorCell) {
  fill(result("fuzz", "percpu_swap", verdict("recipe_a", "clean")));
  EXPECT_TRUE(a().verdict);
  EXPECT_FALSE(b().verdict);
  EXPECT_NE(b().error.find("no verdict for 'recipe_b'"), std::string::npos) << b().error;
}

TEST(ReportTest, HtmlEscapesEverythingAnEngineWrote) {
  Matrix m{{"relacy"}, {row(false, {{"relacy", cell(VerdictKind::kInvariant, "<script>alert(1)</script>")}})}};
  const std::string html = render_html(m, ReportInfo{});
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace dfrace::check
