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

TEST(EngineOutputTest, FindsVerdictsNestedAnywhereAfterOtherLines) {
  const std::string out = "progress line\n{\"results\": [{\"engine\": \"fuzz\", \"recipe\": \"r1\", \"verdict\": \"crash\", "
                          "\"detail\": \"SIGSEGV\"}, {\"nested\": {\"engine\": \"fuzz\", \"recipe\": \"r2\", "
                          "\"verdict\": \"clean\", \"detail\": \"60 s\"}}]}\n";
  auto vs = verdicts_in_output(out);
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0].line(), "crash: SIGSEGV");
  EXPECT_EQ(vs[1].line(), "clean (60 s)");
  EXPECT_TRUE(verdicts_in_output("no json at all").empty());
  EXPECT_TRUE(verdicts_in_output("{\"verdict\": \"maybe\"}").empty());  // not a verdict word
}

TEST(ReportTest, HtmlEscapesEverythingAnEngineWrote) {
  Matrix m{{"relacy"}, {row(false, {{"relacy", cell(VerdictKind::kInvariant, "<script>alert(1)</script>")}})}};
  const std::string html = render_html(m, ReportInfo{});
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace dfrace::check
