#include "platform/relacy_include.hpp"  // first: see its header comment
#include "runner/run_model.hpp"

#include "platform/site_locations.hpp"
#include "core/format.hpp"

namespace dfrace::relacy {

const std::vector<ModelConfig>& model_configs(std::string_view protocol) {
  static const std::vector<ModelConfig> none;
  const std::vector<ModelConfig>* found = &none;
  protocols::for_each_protocol([&]<class Plugin>() {
    if (Plugin::Protocol::kName == protocol) found = &Plugin::relacy_models();
  });
  return *found;
}

std::optional<ModelConfig> find_config(const std::vector<ModelConfig>& configs, std::string_view name) {
  for (const auto& c : configs) {
    if (c.name == name) return c;
  }
  return std::nullopt;
}

const ModelConfig*& current_model_config() {
  static const ModelConfig* c = nullptr;
  return c;
}

std::string search_name(SearchKind k) {
  switch (k) {
    case SearchKind::kExhaustive: return "exhaustive";
    case SearchKind::kRandom: return "random";
    case SearchKind::kContextBound: return "context-bound";
  }
  return "?";
}

std::optional<SearchKind> parse_search(std::string_view s) {
  for (SearchKind k : {SearchKind::kExhaustive, SearchKind::kRandom, SearchKind::kContextBound}) {
    if (search_name(k) == s) return k;
  }
  return std::nullopt;
}

namespace {

std::string site_or(std::size_t site, const char* otherwise) {
  return site == kNoSite ? std::string(otherwise) : std::string(current_protocol().site_name(site));
}

}  // namespace

RunResult interpret(const RecipeMeta& meta, const ModelConfig& config, SearchKind kind,
                    const rl::test_params& params, double seconds, const std::string& history_path) {
  const ModelTrace& tr = trace();
  RunResult r;
  r.config = config.name;
  r.search = kind;
  // Relacy counts iterations from 0; a failing run stops at the failing one.
  r.iterations = params.test_result == rl::test_result_success ? params.stop_iteration : params.stop_iteration + 1;
  r.seconds = seconds;
  r.history_path = history_path;
  Verdict& v = r.verdict;
  v.engine = "relacy";
  v.recipe = meta.name;
  if (!history_path.empty()) v.artifacts.push_back(history_path);
  v.replay = "./dfrace relacy --recipe " + meta.name + " --config " + config.name + " --search " + search_name(kind);
  // The same search reproduces the same execution (Relacy is deterministic per search and budget).
  if (kind == SearchKind::kRandom) v.replay += " --iterations " + std::to_string(params.iteration_count);
  if (kind == SearchKind::kContextBound) v.replay += " --context-bound " + std::to_string(params.context_bound);
  const std::string failure_text = tr.failure_text;
  switch (params.test_result) {
    case rl::test_result_success: {
      v.kind = VerdictKind::kClean;
      std::string how = search_name(kind);
      if (kind == SearchKind::kContextBound) how += " " + std::to_string(params.context_bound);
      v.detail = how + ": " + with_commas(r.iterations) + " executions, config " + config.name;
      v.coverage = Coverage::of(tr.observed, *meta.protocol->directions);
      break;
    }
    case rl::test_result_data_race:
      v.kind = VerdictKind::kDataRace;
      v.detail = race_pair(site_or(tr.current.site, "?"), site_or(tr.partner.site, "kvmalloc_array (buffer init)"));
      r.location = site_location(tr.current.site);
      if (tr.partner.site != kNoSite) r.location += " vs " + site_location(tr.partner.site);
      break;
    case rl::test_result_access_to_freed_memory:
    case rl::test_result_double_free:
      v.kind = VerdictKind::kUseAfterFree;
      v.detail = tr.failure == PlatformFailure::kUseAfterFree ? failure_text
                                                              : std::string(rl::test_result_str(params.test_result)) +
                                                                    " at " + site_location(tr.last_site);
      r.location = site_location(tr.last_site);
      break;
    case rl::test_result_user_assert_failed:
    case rl::test_result_user_invariant_failed:
      v.kind = tr.failure == PlatformFailure::kCrash ? VerdictKind::kCrash : VerdictKind::kInvariant;
      v.detail = failure_text.empty() ? "assertion failed" : failure_text;
      r.location = site_location(tr.last_site);
      break;
    case rl::test_result_memory_leak:
    case rl::test_result_resource_leak:
      v.kind = VerdictKind::kInvariant;
      v.detail = std::string("leak: ") + rl::test_result_str(params.test_result);
      break;
    default:
      v.kind = VerdictKind::kInvariant;
      v.detail = std::string(rl::test_result_str(params.test_result)) + " (last access " +
                 site_location(tr.last_site) + ")";
      break;
  }
  return r;
}

}  // namespace dfrace::relacy
