// dfrace-native-replay ORDER [--json]: replays a fuzz finding's interleaving on real std::threads of the native
// pool and says whether ThreadSanitizer confirms its race there. ORDER is what `dfrace-repro FILE --export-order`
// writes (tools/access_order.hpp); `./dfrace repro FILE --native` does both.
//
// The parent re-runs itself as a child (`--child`), which builds the pool on TurnstilePlatform, starts the
// recording's threads (cpuN producers, flush, the interrupt; the pool's own worker is "drain"), makes every shared
// access wait for its recorded turn, tears down and prints the turnstile's status; TSan's report (halt_on_error)
// comes on the child's stderr, and the parent names its accesses with the stress engine's report parser.
// The verdict line says whether TSan confirms the finding's race (the same pair, or the same two fields: TSan
// reports one race per location). Exit 1 when TSan reported anything, 0 when the native run is clean, 2 bad input.
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "backend/zs_backend.hpp"
#include "infra/exit_codes.hpp"
#include "infra/parse_command_line.hpp"
#include "core/pool_scenario.hpp"
#include "protocols/registry.hpp"
#include "report_parser.hpp"
#include "turnstile.hpp"
#include "turnstile_platform.hpp"

namespace fs = std::filesystem;
using namespace dfrace;
using native_replay::Step;
using native_replay::Turnstile;

namespace {

struct Order {
  std::string recipe, race, verdict, finding_thread;
  unsigned cpus = 1;
  std::size_t size = 1;
  unsigned enqueues[3] = {};
  bool flush = false, irq = false, irq_bound = false;
  unsigned irq_cpu = 0;
  std::uint32_t fail_mask = 0;
  std::vector<Step> steps;
  std::size_t first_stale = 0;  // 1-based step of the first stale load; 0: none
};

std::optional<Order> read_order(const std::string& path, std::string& why) {
  std::ifstream in(path);
  if (!in) {
    why = "cannot read " + path;
    return std::nullopt;
  }
  Order o;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream l(line);
    std::string key;
    l >> key;
    std::string rest;
    std::getline(l >> std::ws, rest);
    std::istringstream r(rest);
    if (key == "recipe") o.recipe = rest;
    else if (key == "cpus") r >> o.cpus;
    else if (key == "size") r >> o.size;
    else if (key == "enqueues") r >> o.enqueues[0] >> o.enqueues[1] >> o.enqueues[2];
    else if (key == "flush") r >> o.flush;
    else if (key == "irq") {
      std::string mode;
      r >> o.irq >> o.irq_cpu >> mode;
      o.irq_bound = mode == "bound";
    } else if (key == "fail_mask") r >> o.fail_mask;
    else if (key == "race") o.race = rest == "none" ? "" : rest;
    else if (key == "verdict") o.verdict = rest;
    else if (key == "finding_thread") o.finding_thread = rest;
    else if (key == "step") {
      Step s;
      std::string flag;
      r >> s.thread >> s.site >> flag;
      s.stale = flag == "stale";
      o.steps.push_back(s);
      if (s.stale && o.first_stale == 0) o.first_stale = o.steps.size();
    } else if (!key.empty()) {
      why = "unknown line '" + line + "'";
      return std::nullopt;
    }
  }
  if (o.recipe.empty() || o.cpus < 1 || o.cpus > 3 || o.size < 1 || o.irq_cpu >= o.cpus) {
    why = "not an access order (see dfrace-repro --export-order)";
    return std::nullopt;
  }
  return o;
}

// The child: the recording's threads on the real pool, in the recorded order.
template <class Plugin, Recipe<typename Plugin::Protocol> kRecipe>
void run_native(const Order& o) {
  using P = native_replay::TurnstilePlatform;
  std::vector<std::string_view> sites;
  for (const auto& s : Plugin::Protocol::kSites) sites.push_back(s.name);
  Turnstile::arm(o.steps, sites, std::chrono::milliseconds(10000), o.finding_thread);
  Turnstile::set_thread("main");
  P platform(o.fail_mask);
  ScenarioPlan plan{.nr_cpus = o.cpus, .size = o.size, .producers = o.cpus};
  for (unsigned c = 0; c < o.cpus; ++c) plan.pushes[c] = o.enqueues[c];
  plan.interrupt = o.irq;
  plan.interrupt_cpu = o.irq_cpu;
  // The protocol's scenario, its threads on real threads in the recorded order.
  typename Plugin::template Scenario<P, kRecipe, 3 * 7 + 1> scenario(platform, plan);
  {
    std::vector<std::thread> threads;
    std::atomic<bool> producer_done[3] = {};  // an interrupt on an idle CPU comes after its producer (a join)
    for (unsigned c = 0; c < o.cpus; ++c) {
      threads.emplace_back([&scenario, &producer_done, c] {
        Turnstile::set_thread("cpu" + std::to_string(c));
        scenario.producer(c);
        producer_done[c].store(true, std::memory_order_release);
      });
    }
    if (o.flush) {
      threads.emplace_back([&scenario] {
        Turnstile::set_thread("flush");
        scenario.flusher();
      });
    }
    if (o.irq) {
      threads.emplace_back([&scenario, &producer_done, cpu = o.irq_cpu, bound = o.irq_bound] {
        Turnstile::set_thread("irq@cpu" + std::to_string(cpu));
        if (!bound) {
          while (!producer_done[cpu].load(std::memory_order_acquire)) std::this_thread::yield();
        }
        scenario.interrupt(/*nested=*/bound);  // bound: preempts its producer, which the turnstile holds
      });
    }
    for (auto& t : threads) t.join();
  }
  scenario.teardown();  // the drain is cancelled, everything left is freed
  const auto s = Turnstile::status();
  std::printf("turnstile: %zu of %zu recorded steps taken in order%s%s\n", s.enforced, s.steps,
              s.let_go.empty() ? "" : "; then let go: ", s.let_go.c_str());
  std::fflush(stdout);
}

// "drain.count_check vs enqueue.count_publish" and "drain.count_reload vs enqueue.count_publish": the same two
// sides (who, which field — the word after the dot, up to '_' — and whether it reads or writes), a different
// read of one of them. Stores and read-modify-writes are writes; loads and re-reads are reads.
bool same_field_race(const ProtocolInfo& protocol, const std::string& a, const std::string& b) {
  auto writes = [&](const std::string& site) {
    for (const auto& s : protocol.sites) {
      if (s.name == site) return s.kind == SiteKind::kStore || s.kind == SiteKind::kRmw;
    }
    return false;
  };
  auto sides = [&](const std::string& pair) {
    const auto vs = pair.find(" vs ");
    std::vector<std::string> out;
    if (vs == std::string::npos) return out;
    for (const std::string& site : {pair.substr(0, vs), pair.substr(vs + 4)}) {
      const auto dot = site.find('.');
      const std::string who = site.substr(0, dot);
      const std::string field = dot == std::string::npos ? "" : site.substr(dot + 1, site.find('_', dot) - dot - 1);
      out.push_back(who + "." + field + (writes(site) ? " W" : " R"));
    }
    return out;
  };
  const auto sa = sides(a), sb = sides(b);
  return !sa.empty() && sa == sb;
}

std::string self_path() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec).string();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dfrace native replay: a finding's interleaving on real threads under ThreadSanitizer",
               "dfrace-native-replay"};
  std::string order_path;
  bool child = false;
  app.add_option("order", order_path, "the access order (dfrace-repro FILE --export-order ORDER)")->required();
  app.add_flag("--child", child, "run the threads (internal: the parent reads this process's report)");
  if (auto exit_code = parse_command_line(app, argc, argv, "dfrace-native-replay")) return *exit_code;
  std::string why;
  auto order = read_order(order_path, why);
  if (!order) {
    std::fprintf(stderr, "dfrace repro --native: %s: %s\n", order_path.c_str(), why.c_str());
    return kExitUsage;
  }
  if (child) {
    const bool found = protocols::with_recipe(
        order->recipe, [&]<class Plugin, Recipe<typename Plugin::Protocol> kRecipe>(const RecipeMeta&) {
          run_native<Plugin, kRecipe>(*order);
        });
    if (!found) {
      std::fprintf(stderr, "dfrace repro --native: unknown recipe '%s'\n", order->recipe.c_str());
      return kExitUsage;
    }
    return kExitClean;
  }
  const auto meta = protocols::find_recipe(order->recipe);
  if (!meta) {
    std::fprintf(stderr, "dfrace repro --native: unknown recipe '%s'\n", order->recipe.c_str());
    return kExitUsage;
  }
  const ProtocolInfo& protocol = *meta->protocol;

  // Parent: run the child, collect its output, read TSan's report.
  // Every report, not only the first: the finding's race need not be the first one TSan's own order meets.
  const std::string cmd = "TSAN_OPTIONS=\"${TSAN_OPTIONS:-}:halt_on_error=0\" '" + self_path() + "' --child '" +
                          order_path + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    std::fprintf(stderr, "dfrace repro --native: cannot start %s\n", cmd.c_str());
    return kExitInternal;
  }
  std::string text;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) text += buf;
  const int status = pclose(p);
  std::string turnstile_line;
  if (auto at = text.find("turnstile: "); at != std::string::npos) {
    turnstile_line = text.substr(at, text.find('\n', at) - at);
  }
  std::ifstream pool_src(std::string(DFRACE_SOURCE_DIR) + "/" + protocol.pool_source());
  std::stringstream pool_text;
  pool_text << pool_src.rdbuf();
  // One parse per report ("WARNING: ThreadSanitizer: ..." up to the next), in the order TSan printed them.
  std::vector<stress::SanitizerFinding> reports;
  for (std::size_t at = text.find("WARNING: ThreadSanitizer:"); at != std::string::npos;) {
    const std::size_t next = text.find("WARNING: ThreadSanitizer:", at + 1);
    if (auto f = stress::parse_sanitizer_report(protocol, text.substr(at, next - at), pool_text.str())) reports.push_back(*f);
    at = next;
  }
  if (reports.empty()) {  // a crash or another sanitizer's report
    if (auto f = stress::parse_sanitizer_report(protocol, text, pool_text.str())) reports.push_back(*f);
  }
  const stress::SanitizerFinding* finding = reports.empty() ? nullptr : &reports.front();
  const stress::SanitizerFinding* same_field = nullptr;
  for (const auto& r : reports) {
    if (r.kind != VerdictKind::kDataRace) continue;
    if (r.detail == order->race) finding = &r;
    if (!same_field && same_field_race(protocol, r.detail, order->race)) same_field = &r;
  }
  std::cout << "native replay of " << order->recipe << " (" << order->steps.size()
            << " shared accesses recorded) on real threads under ThreadSanitizer\n";
  std::cout << "  the finding: " << order->verdict << "\n";
  if (!turnstile_line.empty()) std::cout << "  " << turnstile_line << "\n";
  if (order->first_stale != 0) {
    std::cout << "  step " << order->first_stale << " of the recording reads an older store than the newest (a "
              << "stale read): x86 cannot be forced to produce it, so from there the native run may differ\n";
  }
  const std::string tsan_line = finding ? verdict_word(finding->kind) + ": " + finding->detail : "";
  for (const auto& r : reports) std::cout << "  ThreadSanitizer: " << verdict_word(r.kind) << ": " << r.detail << "\n";
  if (!finding) {
    std::cout << "  ThreadSanitizer: no report"
              << (WIFEXITED(status) ? "" : " (the run ended by a signal: " + std::to_string(WTERMSIG(status)) + ")")
              << "\n";
  }
  const bool confirmed = finding && finding->kind == VerdictKind::kDataRace && !order->race.empty() &&
                         finding->detail == order->race;
  // The command's contract: 1 when the native run has a finding (a TSan report), 0 when it is clean.
  const int exit_code = reports.empty() ? kExitClean : kExitFinding;
  if (order->race.empty()) {
    std::cout << "verdict: the finding has no data race to confirm"
              << (finding ? "; TSan reports " + tsan_line : "; TSan reports nothing either") << "\n";
  } else if (confirmed) {
    std::cout << "verdict: TSan confirms the race on real threads: " << order->race << "\n";
  } else if (same_field) {
    std::cout << "verdict: TSan confirms the race on the same fields: " << same_field->detail << "\n"
              << "  (TSan reports one race per memory location; the fuzz executor names the first access that races)\n";
  } else {
    std::cout << "verdict: TSan does not confirm " << order->race
              << (finding ? " (it reports " + tsan_line + " instead)" : "") << "\n";
  }
  return exit_code;
}
