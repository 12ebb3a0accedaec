// PoolModel: one Relacy test of the REAL DeferredFreePool<RelacyPlatform, kRecipe> in a ModelConfig.
//
// Contract
// - before(): the backend hands out every handle the producers will push, the pool is created (one buffer per CPU).
// - thread(i): producers 0..cpus-1 (producer i is bound to CPU i and enqueues its handles), then the drain worker
//   (runs every queued drain until all other threads have finished and nothing is pending), then, optionally, a
//   thread that calls pool.flush() once.
// - after(): teardown (the pool's destructor) and the pool's invariants, each an assertion failure with its text:
//   every handle freed exactly once (none lost in a drained buffer, none freed twice), no drained slot that was
//   never written (zs_free(0)), every buffer kvfree'd. Relacy's own detectors (data race, use after free, leak)
//   run throughout.
// - The configuration is read from `current_model_config()` (Relacy default-constructs the test per run).
#pragma once

#include "platform/relacy_include.hpp"

#include <cstdio>
#include <string>

#include "backend/zs_backend.hpp"
#include "models/model_config.hpp"
#include "platform/relacy_platform.hpp"
#include "protocols/percpu_swap/pool.hpp"

namespace dfrace::relacy {

const ModelConfig*& current_model_config();

template <Recipe<percpu_swap::Protocol> kRecipe, rl::thread_id_t kThreads>
struct PoolModel : rl::test_suite<PoolModel<kRecipe, kThreads>, kThreads> {
  using Pool = percpu_swap::DeferredFreePool<RelacyPlatform, kRecipe>;
  using Backend = ZsBackend<RelacyPlatform::Mutex>;

  const ModelConfig& cfg = *current_model_config();
  RelacyPlatform* platform = nullptr;
  Backend* backend = nullptr;
  Pool* pool = nullptr;
  Handle handles[kMaxModelThreads][kMaxPushes] = {};
  unsigned finished = 0;  // host: non-worker threads done (tells the worker when to stop; orders nothing)

  unsigned worker_index() const { return cfg.cpus; }
  unsigned others() const { return cfg.threads() - 1; }

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
    backend = new Backend;
    backend->on_misuse = [](const Misuse& m) {
      fail_run(PlatformFailure::kInvariant,
               m.describe() + " (zs_free called from " + site_location(trace().last_site) + ")",
               rl::test_result_user_assert_failed, trace().last_site);
    };
    for (unsigned p = 0; p < cfg.cpus; ++p) {
      for (unsigned k = 0; k < cfg.pushes; ++k) handles[p][k] = backend->zs_malloc();
    }
    pool = new Pool(*platform, *backend, percpu_swap::PoolConfig{cfg.cpus, cfg.size});
  }

  void thread(unsigned index) {
    switch (trace().roles[index]) {
      case Role::kProducer:
        for (unsigned k = 0; k < cfg.pushes; ++k) pool->enqueue(index, handles[index][k]);
        finish();
        break;
      case Role::kFlusher:
        pool->flush();
        finish();
        break;
      case Role::kWorker: {
        auto& work = pool->drain_work();
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
    if (++finished == others()) pool->drain_work().wake_worker();
  }

  void after() {
    platform->set_teardown(true);
    delete pool;  // teardown: cancel the work, free what is still deferred, kvfree every buffer
    pool = nullptr;
    const BackendAudit audit = backend->audit();
    if (!audit.live.empty()) {
      fail_run(PlatformFailure::kInvariant,
               "handle " + std::to_string(audit.live.front()) + " was never freed (" +
                   std::to_string(audit.live.size()) + " lost: written into a buffer the drain had already taken)",
               rl::test_result_user_assert_failed, kNoSite);
    }
    if (!audit.misuse.empty()) {
      fail_run(PlatformFailure::kInvariant, audit.misuse.front().describe(), rl::test_result_user_assert_failed,
               kNoSite);
    }
    if (platform->live_buffers() != 0) {
      fail_run(PlatformFailure::kInvariant,
               "leak: " + std::to_string(platform->live_buffers()) + " buffer(s) never kvfree'd",
               rl::test_result_user_assert_failed, kNoSite);
    }
    delete backend;
    backend = nullptr;
    delete platform;
    platform = nullptr;
  }
};

}  // namespace dfrace::relacy
