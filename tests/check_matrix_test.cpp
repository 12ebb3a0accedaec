// How `dfrace check` combines engine verdicts: the agreement rules and the exit-status inputs. The verdicts below
// are inputs to the combining logic (recipe_a, recipe_b are placeholders), not claims about any real recipe.
#include <gtest/gtest.h>

#include "check/engines.hpp"
#include "check/matrix.hpp"
#include "check/report.hpp"

namespace dfrace::check {
namespace {

const std::vector<std::string> kAll = {"interrupts", "failed refills", "weak memory", "flush"};

// A cell whose run covered `covered` out of what its engine declares (`can_produce`, all four when not given).
EngineCell cell(VerdictKind kind, const std::string& detail, std::vector<std::string> covered = kAll,
                std::vector<std::string> can_produce = kAll) {
  Verdict v;
  v.kind = kind;
  v.detail = detail;
  v.covered = std::move(covered);
  return EngineCell{v, "", 1.0, {}, std::move(can_produce)};
}

EngineCell missing(const std::string& why) { return EngineCell{std::nullopt, why, 1.0, {}, kAll}; }

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

TEST(MatrixAgreementTest, CleanAgainstFlaggedWithNothingMissingIsAConflict) {
  auto r = row(false, {{"relacy", cell(VerdictKind::kDataRace, "a vs b", kAll)}, {"fuzz", cell(VerdictKind::kClean, "10 s", kAll)}});
  EXPECT_EQ(r.agreement(), Agreement::kConflict);
  EXPECT_EQ(r.agreement_text(),
            "flagged by relacy, clean in fuzz; CONFLICT: fuzz covered everything bug 1 may need and passed it");
}

TEST(MatrixAgreementTest, TsanWithoutWeakMemoryWhereTheModelsFlagIsExplained) {
  const std::vector<std::string> relacy = {"failed refills", "weak memory", "flush"};
  auto r = row(false, {{"relacy", cell(VerdictKind::kDataRace, "a vs b", relacy, relacy)},
                       {"fuzz", cell(VerdictKind::kDataRace, "a vs b", kAll)},
                       {"tsan", cell(VerdictKind::kClean, "10 s", {"failed refills", "flush"}, relacy)}});
  EXPECT_EQ(r.agreement(), Agreement::kExplained);
  EXPECT_EQ(r.agreement_text(), "flagged by fuzz, relacy, clean in tsan; explained: tsan did not run with weak memory");
  // The same TSan run with the weak-memory emulation on covered all a bug can need: a conflict.
  r.cells["tsan"] = cell(VerdictKind::kClean, "10 s", relacy, relacy);
  EXPECT_EQ(r.agreement(), Agreement::kConflict);
}

TEST(MatrixAgreementTest, ABugThatSaysWhatItUsesIsExplainedByThatAlone) {
  const std::vector<std::string> relacy = {"failed refills", "weak memory", "flush"};
  EngineCell fuzz = cell(VerdictKind::kInvariant, "handle 3 never freed", kAll);
  fuzz.bugs = {ReportedBug{"invariant: handle N never freed", "invariant: handle 3 never freed", "",
                           std::vector<std::string>{"interrupts"}, ""}};
  auto r = row(false, {{"relacy", cell(VerdictKind::kClean, "7 configs", relacy, relacy)}, {"fuzz", fuzz}});
  EXPECT_EQ(r.agreement(), Agreement::kExplained);
  EXPECT_EQ(r.agreement_text(), "flagged by fuzz, clean in relacy; explained: relacy cannot produce interrupts");
  // A bug whose counterexample contains none of the faults: Relacy had everything it needs.
  r.cells["fuzz"].bugs[0].uses = std::vector<std::string>{};
  EXPECT_EQ(r.agreement(), Agreement::kConflict);
  // An engine that does not say what it covered cannot be explained.
  r.cells["fuzz"].bugs[0].uses = std::vector<std::string>{"interrupts"};
  r.cells["relacy"].verdict->covered.reset();
  EXPECT_EQ(r.agreement(), Agreement::kConflict);
  EXPECT_NE(r.agreement_text().find("relacy passed it without saying what it covered"), std::string::npos);
}

ProgramShape shape(unsigned cpus, unsigned size, std::vector<unsigned> pushes) { return {cpus, size, std::move(pushes)}; }

// A bounded engine (a proof) passes a recipe the fuzzer flags with a counterexample larger than every program it ran
// (three CPUs where it proved two): explained by size, though it covered every behaviour the bug uses.
TEST(MatrixAgreementTest, ABoundedEngineThatRanOnlySmallerProgramsIsExplained) {
  EngineCell fuzz = cell(VerdictKind::kInvariant, "handle 3 freed twice", kAll);
  fuzz.bugs = {ReportedBug{"invariant: handle N freed twice", "invariant: handle 3 freed twice", "",
                           std::vector<std::string>{"weak memory"}, "", shape(3, 1, {6, 4, 0})}};
  EngineCell prove = cell(VerdictKind::kClean, "proved for 2cpu-s1-p3-d2", kAll);
  prove.verdict->programs = std::vector<ProgramShape>{shape(2, 1, {3, 3}), shape(1, 2, {7})};
  auto r = row(false, {{"fuzz", fuzz}, {"prove", prove}});
  EXPECT_EQ(r.agreement(), Agreement::kExplained);
  EXPECT_EQ(r.agreement_text(),
            "flagged by fuzz, clean in prove; explained: prove ran only smaller programs: bug 1 needs 3 CPUs, SIZE 1, "
            "pushes 6+4+0");
  // A program at least as large in every dimension (CPUs are interchangeable): the clean contradicts the bug.
  r.cells["prove"].verdict->programs->push_back(shape(3, 1, {4, 7, 1}));
  EXPECT_EQ(r.agreement(), Agreement::kConflict);
  // A clean that names no programs is not bounded by them: the behaviours alone decide.
  r.cells["prove"].verdict->programs.reset();
  EXPECT_EQ(r.agreement(), Agreement::kConflict);
  // The shapes survive the matrix file (check --merge reads it back).
  r.cells["prove"].verdict->programs = std::vector<ProgramShape>{shape(1, 1, {2})};
  Matrix back = Matrix::from_json(Matrix{{"fuzz", "prove"}, {r}}.to_json());
  EXPECT_EQ(back.rows[0].agreement(), Agreement::kExplained);
}

TEST(ProgramShapeTest, FitsWithinComparesEveryDimensionLargestPushesFirst) {
  EXPECT_TRUE(shape(2, 1, {1, 3}).fits_within(shape(2, 1, {3, 2})));
  EXPECT_FALSE(shape(2, 1, {3, 3}).fits_within(shape(2, 1, {3, 2})));
  EXPECT_FALSE(shape(3, 1, {1, 0, 0}).fits_within(shape(2, 1, {7, 7})));
  EXPECT_FALSE(shape(1, 2, {1}).fits_within(shape(2, 1, {7, 7})));
  EXPECT_TRUE(shape(1, 1, {2}).fits_within(shape(2, 2, {0, 2})));
  std::string why;
  EXPECT_EQ(ProgramShape::from_json(shape(3, 1, {6, 4, 0}).to_json(), why), shape(3, 1, {6, 4, 0}));
  EXPECT_FALSE(ProgramShape::from_json({{"cpus", 2}, {"size", 1}, {"pushes", {1}}}, why));
  EXPECT_NE(why.find("one count per CPU"), std::string::npos) << why;
  EXPECT_FALSE(ProgramShape::from_json({{"cpus", 0}, {"size", 1}, {"pushes", nlohmann::json::array()}}, why));
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
  EXPECT_TRUE(m.any_conflict());
  EXPECT_TRUE(m.problems());
  EXPECT_NE(m.summary_line().find("Claimed correct but flagged: recipe_a"), std::string::npos);
}

TEST(MatrixTest, ClaimedBuggyPassedByEveryEngineIsUndemonstrated) {
  Matrix m{{"relacy", "fuzz"},
           {row(false, {{"relacy", cell(VerdictKind::kClean, "")}, {"fuzz", cell(VerdictKind::kClean, "")}})}};
  EXPECT_TRUE(m.rows[0].claim_undemonstrated());
  EXPECT_FALSE(m.any_conflict());
  EXPECT_TRUE(m.problems());
  EXPECT_NE(m.summary_line().find("Claimed buggy but passed by every engine (undemonstrated): recipe_a"),
            std::string::npos) << m.summary_line();
  // A mutant claims nothing; one engine without a verdict leaves the claim open (incomplete, not undemonstrated).
  m.rows[0].is_mutant = true;
  EXPECT_FALSE(m.problems());
  m.rows[0].is_mutant = false;
  m.rows[0].cells["fuzz"] = missing("timed out");
  EXPECT_FALSE(m.rows[0].claim_undemonstrated());
  EXPECT_TRUE(m.any_error());
}

TEST(MatrixTest, AnExplainedDisagreementOnABuggyRecipeIsNoProblem) {
  EngineCell fuzz = cell(VerdictKind::kInvariant, "handle 3 never freed");
  fuzz.bugs = {ReportedBug{"invariant: handle N never freed", "invariant: handle 3 never freed", "",
                           std::vector<std::string>{"interrupts", "flush"}, ""}};
  const std::vector<std::string> tsan = {"failed refills", "weak memory", "flush"};
  Matrix m{{"fuzz", "tsan"}, {row(false, {{"fuzz", fuzz}, {"tsan", cell(VerdictKind::kClean, "", tsan, tsan)}})}};
  EXPECT_EQ(m.rows[0].agreement(), Agreement::kExplained);
  EXPECT_FALSE(m.problems());
}

TEST(MatrixTest, JsonRoundTrip) {
  Matrix m{{"relacy", "fuzz"},
           {row(false, {{"relacy", cell(VerdictKind::kInvariant, "handle 3 freed twice")}, {"fuzz", missing("crashed")}})}};
  Matrix back = Matrix::from_json(m.to_json());
  ASSERT_EQ(back.rows.size(), 1u);
  EXPECT_EQ(back.rows[0].cells["relacy"].verdict->line(), "invariant: handle 3 freed twice");
  EXPECT_EQ(back.rows[0].cells["fuzz"].error, "crashed");
  EXPECT_EQ(back.engines, m.engines);
  EXPECT_EQ(back.rows[0].cells["relacy"].verdict->covered, kAll);
  EXPECT_EQ(back.rows[0].cells["relacy"].can_produce, kAll);
}

// check reads an engine's output by the result schema (infra/engine_result.hpp): a good result fills the cells,
// anything else becomes an error cell naming the problem and never a verdict.
struct FillCells : ::testing::Test {
  Matrix m{{"fuzz"}, {row(false, {}), row(false, {})}};
  EngineJob job{"fuzz", {"recipe_a", "recipe_b"}, "percpu_swap", {}, std::chrono::seconds(60)};
  void SetUp() override { m.rows[1].recipe = "recipe_b"; }
  static std::string result(const std::string& engine, const std::string& protocol, const std::string& verdicts) {
    return R"({"version": 2, "engine": ")" + engine + R"(", "protocol": ")" + protocol +
           R"(", "can_produce": ["interrupts", "flush"], "verdicts": [)" +
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
