// The text `dfrace check` prints, checked line by line the way LLVM's sanitizer tests check their reports, from
// synthetic engine results in the result format (docs/result-schema.md) read through the same fill_cells() the
// real engines' output goes through. The recipes and verdicts are inputs to the rendering and the rules, not claims
// about any real recipe.
#include <gtest/gtest.h>

#include <sstream>

#include "check/engines.hpp"
#include "check/matrix.hpp"
#include "check/report.hpp"

namespace dfrace::check {
namespace {

const std::vector<std::string> kEngines = {"relacy", "fuzz", "tsan", "prove"};

// One engine's result document for one recipe, as the engine would print it.
std::string result(const std::string& engine, const std::string& can_produce, const std::string& verdict) {
  return R"({"version": 2, "engine": ")" + engine + R"(", "protocol": "p", "can_produce": [)" + can_produce +
         R"(], "verdicts": [)" + verdict + "]}";
}
const char* kRelacyCan = R"("failed refills", "weak memory", "flush")";
const char* kTsanCan = R"("failed refills", "weak memory", "flush")";
const char* kAllCan = R"("interrupts", "failed refills", "weak memory", "flush")";

struct ReportText : ::testing::Test {
  Matrix m;
  void SetUp() override { m.engines = kEngines; }
  void add(const std::string& recipe, bool claimed_correct, const std::map<std::string, std::string>& outputs) {
    m.rows.push_back({recipe, claimed_correct, false, {}});
    for (const auto& [engine, out] : outputs) {
      EngineJob job{engine, {recipe}, "p", {}, std::chrono::seconds(1)};
      fill_cells(job, JobOutcome{0, 0, false, "", out, ""}, 1.0, m);
    }
  }
  // Each expected line must appear, in this order (like FileCheck's CHECK lines), and no line may pass 120 columns.
  void expect_lines(const std::string& text, const std::vector<std::string>& expected) {
    std::istringstream in(text);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) {
      EXPECT_LE(l.size(), 120u) << "too wide: " << l;
      lines.push_back(l);
    }
    std::size_t at = 0;
    for (const auto& want : expected) {
      while (at < lines.size() && lines[at] != want) ++at;
      ASSERT_LT(at, lines.size()) << "missing (in order): [" << want << "]\nin:\n" << text;
      ++at;
    }
  }
};

TEST_F(ReportText, ExplainedAndUnexplainedDisagreementsAndAnUndemonstratedClaim) {
  // irq_only: only fuzz finds it, and its counterexample contains an interrupt (and a flush).
  add("irq_only", false,
      {{"relacy", result("relacy", kRelacyCan, R"j({"recipe": "irq_only", "verdict": "clean", "detail": "7 configs",
          "covered": ["failed refills", "weak memory", "flush"]})j")},
       {"fuzz", result("fuzz", kAllCan, R"j({"recipe": "irq_only", "verdict": "invariant", "detail": "handle 3 never freed",
          "covered": ["interrupts", "failed refills", "weak memory", "flush"],
          "bugs": [{"signature": "invariant: handle N never freed", "line": "invariant: handle 3 never freed",
                    "uses": ["interrupts", "flush"]}]})j")},
       {"tsan", result("tsan", kTsanCan, R"j({"recipe": "irq_only", "verdict": "clean", "detail": "55 s",
          "covered": ["failed refills", "weak memory", "flush"]})j")},
       {"prove", result("prove", kAllCan, R"j({"recipe": "irq_only", "verdict": "clean", "detail": "proved for 2cpu",
          "covered": ["weak memory", "flush"]})j")}});
  // two_bugs: fuzz lists two bugs, one the race Relacy and TSan stop at (named in the other order), one without a
  // race; every engine flags it.
  add("two_bugs", false,
      {{"relacy", result("relacy", kRelacyCan, R"j({"recipe": "two_bugs", "verdict": "data race",
          "detail": "enqueue.handles_load vs drain.handles_store", "covered": ["weak memory", "flush"]})j")},
       {"fuzz", result("fuzz", kAllCan, R"j({"recipe": "two_bugs", "verdict": "data race",
          "detail": "drain.handles_store vs enqueue.handles_load", "covered": ["interrupts", "weak memory", "flush"],
          "bugs": [{"signature": "use after free: enqueue.slot_store (buf#N was kvfree'd)",
                    "line": "data race: drain.handles_store vs enqueue.handles_load → use after free: enqueue.slot_store (buf#1 was kvfree'd)",
                    "race": "drain.handles_store vs enqueue.handles_load", "uses": ["weak memory"]},
                   {"signature": "crash: SIGSEGV (NULL buffer at enqueue.slot_store)",
                    "line": "crash: SIGSEGV (NULL buffer at enqueue.slot_store)", "uses": ["failed refills"]}]})j")},
       {"tsan", result("tsan", kTsanCan, R"j({"recipe": "two_bugs", "verdict": "data race",
          "detail": "drain.handles_store vs enqueue.handles_load", "covered": ["failed refills", "weak memory", "flush"]})j")},
       {"prove", result("prove", kAllCan, R"j({"recipe": "two_bugs", "verdict": "data race",
          "detail": "drain.handles_store vs enqueue.handles_load", "covered": ["weak memory", "flush"]})j")}});
  // conflict: Relacy's race needs nothing fuzz did not cover, and fuzz passed it.
  add("conflict", false,
      {{"relacy", result("relacy", kRelacyCan, R"j({"recipe": "conflict", "verdict": "data race",
          "detail": "drain.count_check vs enqueue.count_publish", "covered": ["weak memory"]})j")},
       {"fuzz", result("fuzz", kAllCan, R"j({"recipe": "conflict", "verdict": "clean", "detail": "60 s",
          "covered": ["interrupts", "failed refills", "weak memory", "flush"]})j")}});
  // quiet: claimed buggy, every engine passes it.
  std::map<std::string, std::string> all_clean;
  for (const auto& e : kEngines) {
    all_clean[e] = result(e, e == "relacy" || e == "tsan" ? kRelacyCan : kAllCan,
                          R"j({"recipe": "quiet", "verdict": "clean", "detail": "d", "covered": ["flush"]})j");
  }
  add("quiet", false, all_clean);

  const std::string text = render_text(m);
  expect_lines(text, {
      "recipe   claim   relacy  fuzz    tsan    prove   engines",
      "irq_only buggy   clean   flagged clean   clean   explained",
      "two_bugs buggy   flagged flagged flagged flagged agree",
      "conflict buggy   flagged clean   -       -       CONFLICT",
      "quiet    buggy   clean   clean   clean   clean   agree (claim undemonstrated)",
      "irq_only (claimed buggy): flagged by fuzz, clean in prove, relacy, tsan; explained: prove did not run with",
      "    interrupts; relacy cannot produce interrupts; tsan cannot produce interrupts",
      "  1. invariant: handle 3 never freed [fuzz]",
      "  relacy: clean (7 configs); covered: failed refills, weak memory, flush",
      "  prove: clean (proved for 2cpu); covered: weak memory, flush (not: interrupts, failed refills)",
      // One bug for the race however each engine names its pair, with what it led to; the crash beside it.
      "two_bugs (claimed buggy): agree: flagged by fuzz, prove, relacy, tsan",
      "  1. data race: drain.handles_store vs enqueue.handles_load → use after free: enqueue.slot_store (buf#1 was",
      "     kvfree'd) [relacy, fuzz, tsan, prove]",
      "  2. crash: SIGSEGV (NULL buffer at enqueue.slot_store) [fuzz]",
      "conflict (claimed buggy): flagged by relacy, clean in fuzz; CONFLICT: fuzz covered everything bug 1 may need and",
      "    passed it",
      "  1. data race: drain.count_check vs enqueue.count_publish [relacy]",
      "  fuzz: clean (60 s); covered: interrupts, failed refills, weak memory, flush",
      "quiet (claimed buggy): agree: clean",
      "The engines CONFLICT, unexplained by what each can produce, on: conflict. No recipe claimed correct is flagged. Claimed",
      "buggy but passed by every engine (undemonstrated): quiet.",
  });
  EXPECT_TRUE(m.problems());
  EXPECT_TRUE(m.any_undemonstrated_claim());
  EXPECT_TRUE(m.any_conflict());
  // The report's Markdown carries the same bug list and what each cell covered.
  const std::string md = render_markdown(m, ReportInfo{});
  EXPECT_NE(md.find("  - 2. crash: SIGSEGV (NULL buffer at enqueue.slot_store) [fuzz]"), std::string::npos) << md;
  EXPECT_NE(md.find("clean (55 s); exercised: not reported; covered: failed refills, weak memory, flush |"),
            std::string::npos) << md;
}

TEST_F(ReportText, ALongRacePairIsWrappedNeverCut) {
  add("complete_fix@enqueue.count_publish=once", true,
      {{"relacy", result("relacy", kRelacyCan, R"j({"recipe": "complete_fix@enqueue.count_publish=once",
          "verdict": "data race", "detail": "drain.handles_store_with_a_long_name vs enqueue.handles_load_with_a_long_name",
          "covered": ["weak memory"]})j")}});
  const std::string text = render_text(m);
  expect_lines(text, {"complete_fix@enqueue.count_publish=once correct flagged -       -       -       agree (claim violated)"});
  std::string joined;  // the wrapped text, lines joined again
  for (char c : text) joined += c == '\n' ? ' ' : c;
  EXPECT_NE(joined.find("vs enqueue.handles_load_with_a_long_name"), std::string::npos) << text;
}

}  // namespace
}  // namespace dfrace::check
