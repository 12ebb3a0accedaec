#include "worker.hpp"

#include <csignal>
#include <cstdio>
#include <exception>

#include "chaos.hpp"
#include "chaos_platform.hpp"
#include "infra/exit_codes.hpp"
#include "infra/recipe_lookup.hpp"
#include "infra/status_exit.hpp"
#include "platform/native/native_platform.hpp"
#include "platform/weak/weak_platform.hpp"
#include "protocols/registry.hpp"
#include "stress_driver.hpp"

namespace dfrace::stress {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) { g_stop.store(true, std::memory_order_relaxed); }

void emit(const char* kind, const StressTotals& t) {
  const std::string line = std::string(kind) + " " + to_json(t).dump() + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

int run_worker(const StressOptions& options) {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  try {
    StressTotals totals;
    auto progress = [](const StressTotals& t) { emit("progress", t); };
    const bool found = protocols::with_recipe(
        options.recipe, [&]<class Plugin, Recipe<typename Plugin::Protocol> kRecipe>(const RecipeMeta&) {
          if (options.chaos) Chaos::configure(options.seed, Plugin::Protocol::kSiteCount);
          if (options.weak) {
            weak::WeakMemory::configure({.stale_probability = options.stale_probability, .seed = options.seed});
          }
          if (options.weak && options.chaos) {
            totals = StressDriver<WeakPlatform<ChaosHook>, Plugin, kRecipe>(options, g_stop, progress).run();
          } else if (options.weak) {
            totals = StressDriver<WeakPlatform<>, Plugin, kRecipe>(options, g_stop, progress).run();
          } else if (options.chaos) {
            totals = StressDriver<ChaosPlatform, Plugin, kRecipe>(options, g_stop, progress).run();
          } else {
            totals = StressDriver<NativePlatform, Plugin, kRecipe>(options, g_stop, progress).run();
          }
        });
    if (!found) {
      return report_failure("dfrace-stress worker", unknown_recipe(options.recipe));
    }
    emit("result", totals);
    return kExitClean;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dfrace-stress worker: internal error: %s\n", e.what());
    return kExitInternal;
  }
}

}  // namespace dfrace::stress
