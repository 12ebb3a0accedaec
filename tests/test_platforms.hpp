// Platforms for deterministic single-threaded tests: the native platform, but the drain only runs when the test
// says so, so "queued", "pending" and "ran" can each be observed.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "platform/native/native_platform.hpp"
#include <tuple>

#include "protocols/registry.hpp"

namespace dfrace::testing {

class ManualWorkPlatform : public NativePlatform {
 public:
  using NativePlatform::NativePlatform;

  class WorkItem {
   public:
    WorkItem(ManualWorkPlatform&, std::function<void()> work) : work_(std::move(work)) {}
    bool queue() {
      if (pending_ || cancelled_) return false;
      pending_ = true;
      ++queued_;
      return true;
    }
    // Runs the work if it is pending; returns whether it ran.
    bool run_pending() {
      if (!pending_) return false;
      pending_ = false;
      work_();
      return true;
    }
    void flush() { run_pending(); }
    void cancel_sync() { cancelled_ = true; pending_ = false; }
    bool pending() const { return pending_; }
    int queued() const { return queued_; }

   private:
    std::function<void()> work_;
    bool pending_ = false;
    bool cancelled_ = false;
    int queued_ = 0;
  };
};

// A typed-test parameter carrying one recipe of a protocol's catalogue.
template <class PluginT, std::size_t kIndex>
struct BuiltinRecipe {
  using Plugin = PluginT;
  static constexpr auto kRecipe = Plugin::kRecipes[kIndex].recipe;
  static constexpr std::string_view kName = Plugin::kRecipes[kIndex].name;
  static constexpr bool kClaimedCorrect = Plugin::kRecipes[kIndex].claimed_correct;
};

// std::tuple<BuiltinRecipe<Plugin, 0>, ...> for every entry of a protocol's kRecipes, so a recipe a user adds is
// tested without touching the tests; and the same over every registered protocol.
template <class Plugin, std::size_t... I>
auto builtin_recipe_tuple(std::index_sequence<I...>) -> std::tuple<BuiltinRecipe<Plugin, I>...>;
template <class Plugin>
using BuiltinRecipeTuple = decltype(builtin_recipe_tuple<Plugin>(std::make_index_sequence<Plugin::kRecipes.size()>{}));
template <class... Plugins>
auto registered_recipe_tuple(protocols::PluginList<Plugins...>)
    -> decltype(std::tuple_cat(std::declval<BuiltinRecipeTuple<Plugins>>()...));

template <class Tuple>
struct TestTypes;
template <class... T>
struct TestTypes<std::tuple<T...>> {
  using type = ::testing::Types<T...>;
};
template <class Plugin>
using BuiltinRecipes = typename TestTypes<BuiltinRecipeTuple<Plugin>>::type;
using AllRegisteredRecipes = typename TestTypes<decltype(registered_recipe_tuple(protocols::Registered{}))>::type;

class RecipeTypeNames {
 public:
  template <class T>
  static std::string GetName(int) { return std::string(T::kName); }
};

// The fixture of a single-threaded pool test: a platform whose drain runs only when the test says so, a backend,
// and enqueue_n (fresh handles from the backend, enqueued one by one on a CPU).
template <class PoolT>
class ManualPoolTest : public ::testing::Test {
 protected:
  using Pool = PoolT;

  std::vector<Handle> enqueue_n(Pool& pool, unsigned cpu, int n) {
    std::vector<Handle> hs;
    for (int i = 0; i < n; ++i) {
      hs.push_back(backend.zs_malloc());
      pool.enqueue(cpu, hs.back());
    }
    return hs;
  }

  ManualWorkPlatform platform;
  ZsBackend<> backend;
};

}  // namespace dfrace::testing
