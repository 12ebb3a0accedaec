// PoolModel<Plugin, kRecipe>: one Relacy test of a registered protocol's REAL pool (RelacyPlatform, kRecipe) in a
// ModelConfig.
//
// Contract
// - The threads are the protocol's Scenario (its plug-in's, core/pool_scenario.hpp), run as Relacy threads:
// - before(): the scenario's setup (backend, every handle the producers will push, the pool).
// - thread(i): the scenario's producers 0..cpus-1 (producer i on CPU i), then the drain worker (runs every queued
//   drain until all other threads have finished and nothing is pending), then, optionally, its flusher.
// - after(): the scenario's teardown and audit, each broken invariant an assertion failure with its text (every
//   handle freed exactly once: none lost in a drained buffer, none freed twice, no never-written slot drained),
//   plus the platform's own: every buffer kvfree'd. Relacy's detectors (data race, use after free) run throughout.
// - The configuration is read from `current_model_config()` (Relacy default-constructs the test per run).
#pragma once

#include "platform/relacy_include.hpp"

#include <cstdio>
#include <string>

#include "backend/zs_backend.hpp"
#include "models/model_config.hpp"
#include "platform/relacy_platform.hpp"
#include "core/pool_scenario.hpp"

namespace dfrace::relacy {

const ModelConfig*& current_model_config();

template <class Plugin, Recipe<typename Plugin::Protocol> kRecipe, rl::thread_id_t kThreads>
struct PoolModel : rl::test_suite<PoolModel<Plugin, kRecipe, kThreads>, kThreads> {
  using Scenario = typename Plugin::template Scenario<RelacyPlatform, kRecipe, kMaxModelThreads * kMaxPushes>;

  const ModelConfig& cfg = *current_model_config();
  RelacyPlatform* platform = nullptr;
  Scenario* scenario = nullptr;
  unsigned finished = 0;  // host: non-worker threads done (tells the worker when to stop; orders nothing)

  unsigned worker_index() const { return cfg.cpus; }
  unsigned others() const { return cfg.threads() - 1; }

  ScenarioPlan plan() const {
    ScenarioPlan plan{.nr_cpus = cfg.cpus, .size = cfg.size, .producers = cfg.cpus};
    for (unsigned p = 0; p < cfg.cpus; ++p) plan.pushes[p] = cfg.pushes;
    return plan;
  }

  void before() {
    ModelTrace& tr = trace();
    tr.reset_run();
    for (unsigned t = 0; t < kMaxModelThreads; ++t) {
      tr.roles[t] = t < cfg.cpus ? Role::kProducer
                    : t == worker_index() ? Role::kWorker
                    : (cfg.flush && t == worker_index() + 1) ? Role::kFlusher : Role::kIdle;
      tr.cpu_of_thread[t] = t < cfg.cpus ? t : 0;
    }
    platform = new RelacyPlatform(RelacyPlatform::Options{cfg.alloc_faults});
    scenario = new Scenario(*platform, plan());
    scenario->backend().on_misuse = [](const Misuse& m) {
      fail_run(PlatformFailure::kInvariant,
               m.describe() + " (zs_free called from " + site_location(trace().last_site) + ")",
               rl::test_result_user_assert_failed, trace().last_site);
    };
  }

  void thread(unsigned index) {
    switch (trace().roles[index]) {
      case Role::kProducer:
        scenario->producer(index);
        finish();
        break;
      case Role::kFlusher:
        scenario->flusher();
        finish();
        break;
      case Role::kWorker: {
        auto& work = scenario->pool().drain_work();
        for (;;) {
          if (work.try_run()) continue;
          // No scheduling point since try_run's read-modify-write saw nothing pending: if every other thread had
          // finished by then, nothing can be queued any more.
          if (finished == others()) break;
          work.wait_for_work();
        }
        break;
      }
      case Role::kIdle: break;
    }
  }

  void finish() {
    if (++finished == others()) scenario->pool().drain_work().wake_worker();
  }

  void after() {
    platform->set_teardown(true);
    scenario->teardown();  // cancel the work, free what is still deferred, kvfree every buffer
    if (const std::string broken = scenario->audit(); !broken.empty()) {
      fail_run(PlatformFailure::kInvariant, broken, rl::test_result_user_assert_failed, kNoSite);
    }
    if (platform->live_buffers() != 0) {
      fail_run(PlatformFailure::kInvariant,
               "leak: " + std::to_string(platform->live_buffers()) + " buffer(s) never kvfree'd",
               rl::test_result_user_assert_failed, kNoSite);
    }
    delete scenario;
    scenario = nullptr;
    delete platform;
    platform = nullptr;
  }
};

}  // namespace dfrace::relacy
