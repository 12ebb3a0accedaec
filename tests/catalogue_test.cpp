// The recipe catalogue is consistent: the seed's recipes are there, transcribed as the thread wrote them, and
// the mutants are exactly the single-step weakenings of the team's recipe.
#include <algorithm>
#include <gtest/gtest.h>

#include <set>

#include "protocols/registry.hpp"

namespace dfrace::percpu_swap {
namespace {

using protocols::find_recipe;
using protocols::recipe_names;
using Cat = Catalogue<Plugin>;

Access at(const RecipeMeta& m, Site s) { return m.access[site_index(s)]; }

TEST(CatalogueTest, HasTheSeedDerivedRecipes) {
  auto posted = find_recipe("posted_v2");
  auto reply = find_recipe("reply_fix");
  auto team = find_recipe(kMutantBase);
  ASSERT_TRUE(posted && reply && team);
  EXPECT_FALSE(posted->claimed_correct);
  EXPECT_FALSE(reply->claimed_correct);
  EXPECT_TRUE(team->claimed_correct);
}

TEST(CatalogueTest, PostedV2IsTheLiteralPseudoCode) {
  auto r = *find_recipe("posted_v2");
  // Only the two WRITE_ONCEs are marked; every def->count read is its own plain load.
  EXPECT_EQ(at(r, Site::kEnqueueCountPublish), Access::kOnce);
  EXPECT_EQ(at(r, Site::kDrainCountReset), Access::kOnce);
  for (Site s : {Site::kEnqueueCountCheck, Site::kEnqueueCountIndex, Site::kEnqueueCountIncrement,
                 Site::kEnqueueFullCheck, Site::kDrainCountCheck, Site::kDrainCountReload, Site::kDrainHandlesStore,
                 Site::kEnqueueSlotStore}) {
    EXPECT_EQ(at(r, s), Access::kPlain) << Protocol::kSites[site_index(s)].name;
  }
  EXPECT_FALSE(kRecipes[index_of_recipe(kRecipes, "posted_v2")].recipe.options.checks_alloc_failure);
}

TEST(CatalogueTest, ReplyFixChangesOnlyWhatTheReplyShows) {
  auto posted = *find_recipe("posted_v2");
  auto reply = *find_recipe("reply_fix");
  std::set<std::string_view> changed;
  for (std::size_t i = 0; i < Protocol::kSiteCount; ++i) {
    if (posted.access[i] != reply.access[i]) changed.insert(Protocol::kSites[i].name);
  }
  const std::set<std::string_view> expected = {"enqueue.count_check", "enqueue.count_index",
                                               "enqueue.count_increment", "enqueue.count_publish",
                                               "drain.count_reset", "flush.count_load", "flush.count_reset"};
  EXPECT_EQ(changed, expected);
  EXPECT_EQ(at(reply, Site::kEnqueueCountCheck), Access::kAcquire);
  EXPECT_EQ(at(reply, Site::kEnqueueCountPublish), Access::kRelease);
  EXPECT_EQ(at(reply, Site::kDrainCountReset), Access::kRelease);
  EXPECT_EQ(at(reply, Site::kDrainCountCheck), Access::kPlain);  // the reply leaves the drain's check alone
}

TEST(CatalogueTest, NamesAreUniqueAcrossRecipesAndMutants) {
  auto names = recipe_names(true);
  std::set<std::string> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), names.size());
  std::size_t expected = 0;
  protocols::for_each_protocol([&]<class P>() { expected += Catalogue<P>::kRecipes.size() + Catalogue<P>::kMutantCount; });
  EXPECT_EQ(names.size(), expected);
}

TEST(CatalogueTest, EachMutantWeakensExactlyOneSiteOneStep) {
  const auto base = *find_recipe(kMutantBase);
  ASSERT_GT(Cat::kMutantCount, 0u);
  for (const auto& m : Cat::all_recipes(true)) {
    if (!m.is_mutant) continue;
    int differing = 0;
    for (std::size_t i = 0; i < Protocol::kSiteCount; ++i) {
      if (m.access[i] != base.access[i]) {
        ++differing;
        const Weakenings w = one_step_weakenings(Protocol::kSites[i].kind, base.access[i]);
        EXPECT_TRUE(std::find(w.to.begin(), w.to.begin() + w.count, m.access[i]) != w.to.begin() + w.count)
            << m.name;
      }
    }
    EXPECT_EQ(differing, 1) << m.name;
    EXPECT_EQ(m.options, base.options);
    EXPECT_FALSE(m.claimed_correct);
    EXPECT_EQ(find_recipe(m.name)->name, m.name);
  }
}

TEST(CatalogueTest, EveryMarkedSiteOfTheBaseHasAMutant) {
  const auto base = *find_recipe(kMutantBase);
  std::size_t weakenable = 0;
  for (std::size_t i = 0; i < Protocol::kSiteCount; ++i) {
    weakenable += one_step_weakenings(Protocol::kSites[i].kind, base.access[i]).count;
  }
  EXPECT_EQ(weakenable, Cat::kMutantCount);
}

TEST(CatalogueTest, UnknownNameIsNotFound) {
  EXPECT_FALSE(find_recipe("no_such_recipe").has_value());
  EXPECT_FALSE(protocols::with_recipe("no_such_recipe", []<class P, Recipe<typename P::Protocol>>(const RecipeMeta&) {
    FAIL();
  }));
  EXPECT_FALSE(find_recipe("no_such_protocol/posted_v2").has_value());
  EXPECT_TRUE(find_recipe("percpu_swap/posted_v2").has_value());
}

TEST(CatalogueTest, WithRecipeHandsOverTheSameRecipeAsACompileTimeConstant) {
  for (const auto& name : recipe_names(true)) {
    bool called = false;
    EXPECT_TRUE(protocols::with_recipe(name, [&]<class P, Recipe<typename P::Protocol> kRecipe>(const RecipeMeta& meta) {
      called = true;
      EXPECT_EQ(std::vector<Access>(kRecipe.access.begin(), kRecipe.access.end()), meta.access);
      EXPECT_EQ(meta.protocol->name, P::Protocol::kName);
    }));
    EXPECT_TRUE(called) << name;
  }
}

TEST(AccessTest, ParsesEveryName) {
  for (Access a : {Access::kPlain, Access::kOnce, Access::kAcquire, Access::kRelease, Access::kReuse, Access::kNone,
                   Access::kRmb, Access::kWmb, Access::kMb}) {
    EXPECT_EQ(parse_access(access_name(a)), a);
  }
  EXPECT_FALSE(parse_access("acq_rel").has_value());
}

}  // namespace
}  // namespace dfrace::percpu_swap
