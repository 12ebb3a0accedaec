// The engine result format (infra/engine_result.hpp): what the writer prints the reader takes back whole, and
// every way an output can be wrong is refused with a reason rather than half-read.
#include "infra/engine_result.hpp"

#include <gtest/gtest.h>

namespace dfrace {
namespace {

nlohmann::json race_verdict() {
  Verdict v;
  v.kind = VerdictKind::kDataRace;
  v.engine = "fuzz";
  v.recipe = "posted_v2";
  v.detail = "drain.count_reset vs enqueue.count_check";
  v.artifacts = {"a.dfrace"};
  nlohmann::json j = v.to_json();
  j["fuzz"] = {{"execs", 12}};  // an engine's own figures ride along
  j["covered"] = {"interrupts", "flush"};
  j["bugs"] = {{{"signature", "use after free: enqueue.slot_store"}, {"line", "data race: ... → use after free"},
                {"race", "drain.count_reset vs enqueue.count_check"}, {"uses", {"weak memory"}},
                {"program", {{"cpus", 2}, {"size", 1}, {"pushes", {2, 1}}}}}};
  return j;
}

TEST(EngineResult, RoundTrip) {
  const auto text = make_engine_result("fuzz", "percpu_swap", nlohmann::json::array({race_verdict()})).dump(2);
  auto r = parse_engine_result(text);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->engine, "fuzz");
  EXPECT_EQ(r->protocol, "percpu_swap");
  ASSERT_EQ(r->verdicts.size(), 1u);
  EXPECT_EQ(r->verdicts[0].line(), "data race: drain.count_reset vs enqueue.count_check");
  EXPECT_EQ(r->raw[0]["fuzz"]["execs"], 12);
  // Version 2: the engine's declaration (from infra/behaviours.hpp), what the run covered, its bugs.
  EXPECT_EQ(r->can_produce, (std::vector<std::string>{"interrupts", "failed refills", "weak memory", "flush"}));
  EXPECT_EQ(r->verdicts[0].covered, (std::vector<std::string>{"interrupts", "flush"}));
  ASSERT_EQ(r->bugs.size(), 1u);
  ASSERT_EQ(r->bugs[0].size(), 1u);
  EXPECT_EQ(r->bugs[0][0].race, "drain.count_reset vs enqueue.count_check");
  EXPECT_EQ(r->bugs[0][0].uses, (std::vector<std::string>{"weak memory"}));
  EXPECT_EQ(r->bugs[0][0].program, (ProgramShape{2, 1, {2, 1}}));
}

TEST(EngineResult, EachEngineDeclaresWhatItCanProduce) {
  auto declared = [](const char* engine) { return *parse_engine_result(make_engine_result(engine, "p", nlohmann::json::array()).dump()); };
  EXPECT_EQ(declared("relacy").can_produce, (std::vector<std::string>{"failed refills", "weak memory", "flush"}));
  EXPECT_EQ(declared("tsan").can_produce, (std::vector<std::string>{"failed refills", "weak memory", "flush"}));
  EXPECT_EQ(declared("prove").can_produce.size(), 4u);
}

// Each case: a broken result and a word its error message must contain.
struct Broken {
  std::string name;
  std::string text;
  std::string reason;
};

std::string with(const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = make_engine_result("fuzz", "percpu_swap", nlohmann::json::array({race_verdict()}));
  edit(j);
  return j.dump();
}

TEST(EngineResult, MalformedIsRefusedWithAReason) {
  const std::vector<Broken> cases = {
      {"empty", "  \n", "empty"},
      {"not json", "pulse 12 execs", "not one JSON document"},
      {"two documents", R"({"version":2} {"version":2})", "not one JSON document"},
      {"an array", "[]", "not a JSON object"},
      {"pre-schema layout", R"({"verdicts":[{"recipe":"x","verdict":"clean","detail":""}]})", "no \"version\""},
      {"older version", with([](auto& j) { j["version"] = 1; }), "version 1"},
      {"future version", with([](auto& j) { j["version"] = 3; }), "version 3"},
      {"no declaration", with([](auto& j) { j.erase("can_produce"); }), "no \"can_produce\""},
      {"unknown behaviour", with([](auto& j) { j["can_produce"] = {"time travel"}; }), "'time travel', not a behaviour"},
      {"covers the undeclared",
       with([](auto& j) { j["can_produce"] = {"flush"}; j["verdicts"][0]["covered"] = {"interrupts"}; }),
       "'interrupts', which the engine does not declare"},
      {"bug without signature", with([](auto& j) { j["verdicts"][0]["bugs"] = {{{"line", "x"}}}; }),
       "bugs[0].signature is not a non-empty string"},
      {"bug uses not a list", with([](auto& j) { j["verdicts"][0]["bugs"] = {{{"line", "x"}, {"signature", "x"}, {"uses", 1}}}; }),
       "bugs[0].uses is not a list of strings"},
      {"bug program without pushes", with([](auto& j) {
         j["verdicts"][0]["bugs"] = {{{"line", "x"}, {"signature", "x"}, {"program", {{"cpus", 1}, {"size", 1}}}}};
       }),
       "bugs[0].program needs \"pushes\""},
      {"programs not shapes", with([](auto& j) { j["verdicts"][0]["programs"] = {"2cpu-s1-p2-d2"}; }),
       "programs[0] is not an object"},
      {"version as text", with([](auto& j) { j["version"] = "1"; }), "not an integer"},
      {"no engine", with([](auto& j) { j.erase("engine"); }), "no \"engine\""},
      {"empty protocol", with([](auto& j) { j["protocol"] = ""; }), "\"protocol\" is not a non-empty string"},
      {"verdicts not a list", with([](auto& j) { j["verdicts"] = nlohmann::json::object(); }), "not a list"},
      {"verdict not an object", with([](auto& j) { j["verdicts"][0] = "clean"; }), "verdicts[0] is not an object"},
      {"no recipe", with([](auto& j) { j["verdicts"][0].erase("recipe"); }), "has no \"recipe\""},
      {"unknown word", with([](auto& j) { j["verdicts"][0]["verdict"] = "racy"; }), "not a verdict word"},
      {"detail a number", with([](auto& j) { j["verdicts"][0]["detail"] = 3; }), "detail is not a string"},
      {"another engine's verdict", with([](auto& j) { j["verdicts"][0]["engine"] = "tsan"; }), "does not match"},
      {"artifacts not strings", with([](auto& j) { j["verdicts"][0]["artifacts"] = {1}; }), "not a list of strings"},
      {"recipe twice", with([](auto& j) { j["verdicts"].push_back(j["verdicts"][0]); }), "two verdicts"},
  };
  for (const auto& c : cases) {
    auto r = parse_engine_result(c.text);
    ASSERT_FALSE(r.ok()) << c.name << " was accepted";
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(r.status().message().find(c.reason), std::string_view::npos)
        << c.name << ": '" << r.status().message() << "' lacks '" << c.reason << "'";
    EXPECT_EQ(r.status().message().find('\n'), std::string_view::npos) << c.name << ": not one line";
  }
}

TEST(EngineResult, ControlBytesInAReasonAreEscaped) {
  auto r = parse_engine_result(with([](auto& j) { j["verdicts"][0]["verdict"] = "clean\x1b[2J\n"; }));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find('\x1b'), std::string_view::npos);
  EXPECT_NE(r.status().message().find("\\x1b"), std::string_view::npos) << r.status().message();
}

}  // namespace
}  // namespace dfrace
