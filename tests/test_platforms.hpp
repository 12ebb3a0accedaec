// Platforms for deterministic single-threaded tests: the native platform, but the drain only runs when the test
// says so, so "queued", "pending" and "ran" can each be observed.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>

#include "platform/native/native_platform.hpp"
#include "protocols/percpu_swap/catalogue.hpp"
#include "protocols/percpu_swap/pool.hpp"

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

// A typed-test parameter carrying one recipe of the catalogue.
template <std::size_t kIndex>
struct BuiltinRecipe;

// ::testing::Types<BuiltinRecipe<0>, ..., BuiltinRecipe<N-1>> for every entry of kRecipes, so a recipe a user adds
// is tested without touching the tests.
template <std::size_t... I>
auto builtin_recipe_types(std::index_sequence<I...>) -> ::testing::Types<BuiltinRecipe<I>...>;
using AllBuiltinRecipes = decltype(builtin_recipe_types(std::make_index_sequence<percpu_swap::kRecipes.size()>{}));

class RecipeTypeNames {
 public:
  template <class T>
  static std::string GetName(int) { return std::string(T::kName); }
};

template <std::size_t kIndex>
struct BuiltinRecipe {
  static constexpr auto kRecipe = percpu_swap::kRecipes[kIndex].recipe;
  static constexpr std::string_view kName = percpu_swap::kRecipes[kIndex].name;
  static constexpr bool kClaimedCorrect = percpu_swap::kRecipes[kIndex].claimed_correct;
};

}  // namespace dfrace::testing
