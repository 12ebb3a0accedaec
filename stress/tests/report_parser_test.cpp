// The report parser names accesses by the recipe's site names, from report text in the sanitizers' real formats
// (trimmed from reports the stress driver produced on posted_v2).
#include "report_parser.hpp"

#include "protocols/percpu_swap/protocol.hpp"

#include <gtest/gtest.h>

namespace dfrace::stress {
namespace {

const ProtocolInfo& kPercpuSwap = protocol_info<percpu_swap::Protocol>();

const char* kTsanRace = R"(==================
WARNING: ThreadSanitizer: data race (pid=12016)
  Atomic write of size 8 at 0x7b10000000c8 by thread T1:
    #0 void std::__atomic_impl::store<unsigned long>(unsigned long*, std::remove_volatile<unsigned long>::type, std::memory_order) atomic_base.h:962:9 (dfrace-stress+0x1930ba)
    #1 std::__atomic_ref<unsigned long, true, false>::store(unsigned long, std::memory_order) const atomic_base.h:1513:9 (dfrace-stress+0x1930ba)
    #2 void dfrace::NativePlatform::Shared<unsigned long>::store<(dfrace::Access)1, 15ul>(unsigned long) /work/main/src/platform/native/native_platform.hpp:71:36 (dfrace-stress+0x1930ba)

  Previous read of size 8 at 0x7b10000000c8 by thread T2 (mutexes: write M0):
    #0 unsigned long dfrace::NativePlatform::Shared<unsigned long>::load<(dfrace::Access)0, 0ul>() /work/main/src/platform/native/native_platform.hpp:61:16 (dfrace-stress+0x194458)

  Location is heap block of size 56 at 0x7b10000000c0 allocated by main thread:
    #0 operator new(unsigned long) <null> (dfrace-stress+0xdcbc6)

SUMMARY: ThreadSanitizer: data race native_platform.hpp:61:16
==================
)";

TEST(ReportParserTest, TsanRaceNamesBothSitesInStableOrder) {
  auto f = parse_sanitizer_report(kPercpuSwap, kTsanRace, "");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, VerdictKind::kDataRace);
  EXPECT_EQ(f->detail, "drain.count_reset vs enqueue.count_check");
}

TEST(ReportParserTest, ChaosPlatformFramesMapLikeNativeOnes) {
  EXPECT_EQ(site_of_frame(kPercpuSwap, "    #0 unsigned long dfrace::stress::ChaosPlatform::Shared<dfrace::stress::ChaosPlatform::Buffer*>"
                          "::load<(dfrace::Access)0, 2ul>() chaos_platform.hpp:30",
                          {}),
            "enqueue.handles_load");
}

TEST(ReportParserTest, RaceWithAFreeIsUseAfterFreeOfTheOtherAccess) {
  const char* report = R"(WARNING: ThreadSanitizer: data race (pid=1)
  Write of size 8 at 0x7b0400000010 by thread T3:
    #0 operator delete(void*) <null> (dfrace-stress+0xdd0b6)
    #1 dfrace::NativePlatform::free_buffer(dfrace::NativePlatform::Buffer*) native_platform.hpp:100
  Previous write of size 8 at 0x7b0400000010 by thread T1:
    #0 void dfrace::NativePlatform::Shared<unsigned long>::store<(dfrace::Access)0, 4ul>(unsigned long) native_platform.hpp:69
SUMMARY: ThreadSanitizer: data race
)";
  auto f = parse_sanitizer_report(kPercpuSwap, report, "");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, VerdictKind::kUseAfterFree);
  EXPECT_EQ(f->detail, "enqueue.slot_store");
}

TEST(ReportParserTest, AsanHeapUseAfterFreeInGccFormat) {
  const char* report = R"(=================================================================
==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc 0x55 bp 0x7f sp 0x7f
WRITE of size 8 at 0x602000000010 thread T2
    #0 0x55d1 in void dfrace::NativePlatform::Shared<unsigned long>::store<(dfrace::Access)0, 4ul>(unsigned long) /work/main/src/platform/native/native_platform.hpp:69
    #1 0x55d2 in dfrace::percpu_swap::DeferredFreePool<...>::enqueue_on_bound_cpu(unsigned int, unsigned long) /work/main/src/protocols/percpu_swap/pool.hpp:98
SUMMARY: AddressSanitizer: heap-use-after-free
)";
  auto f = parse_sanitizer_report(kPercpuSwap, report, "");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, VerdictKind::kUseAfterFree);
  EXPECT_EQ(f->detail, "enqueue.slot_store");
}

TEST(ReportParserTest, PoolLineIsTheFallbackWhenNoAccessFrameIsSymbolized) {
  const std::string pool = "// line 1\n  const std::size_t count = load<Site::kDrainCountCheck>(def.count);\n";
  const char* report = R"(WARNING: ThreadSanitizer: data race (pid=1)
  Read of size 8 at 0x1 by thread T1:
    #0 run_drain() /work/main/src/protocols/percpu_swap/pool.hpp:2:31 (dfrace-stress+0x1)
  Previous atomic write of size 8 at 0x1 by thread T2:
    #0 void dfrace::NativePlatform::Shared<unsigned long>::store<(dfrace::Access)1, 7ul>(unsigned long) x.hpp:1
SUMMARY: ThreadSanitizer: data race
)";
  auto f = parse_sanitizer_report(kPercpuSwap, report, pool);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->detail, "drain.count_check vs enqueue.count_publish");
}

TEST(ReportParserTest, TheNewBuffersAllocationIsNamedAfterTheSeed) {
  const std::string pool = "1\n2\n      store<Site::kEnqueueSlotStore>(P::slot(handles, index), handle);\n";
  const char* report = R"(WARNING: ThreadSanitizer: data race (pid=14231)
  Read of size 8 at 0x7b0400000068 by thread T3 (mutexes: write M0):
    #0 std::unique_ptr<dfrace::stress::ChaosPlatform::Shared<unsigned long> []>::get() const unique_ptr.h:1
    #1 dfrace::stress::ChaosPlatform::slot(dfrace::stress::ChaosPlatform::Buffer*, unsigned long) chaos_platform.hpp:58:12
    #2 dfrace::percpu_swap::DeferredFreePool<dfrace::stress::ChaosPlatform, kRecipe>::enqueue_on_bound_cpu(unsigned int, unsigned long) /work/main/src/protocols/percpu_swap/pool.hpp:3:7
  Previous write of size 8 at 0x7b0400000068 by thread T1:
    #0 operator new(unsigned long) <null> (dfrace-stress+0xdcbc6)
    #1 dfrace::stress::ChaosPlatform::allocate_buffer(unsigned long, bool) chaos_platform.hpp:52:12
SUMMARY: ThreadSanitizer: data race
)";
  auto f = parse_sanitizer_report(kPercpuSwap, report, pool);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->detail, "(the drain's kvmalloc_array: new_buf's memory) vs enqueue.slot_store");
}

TEST(ReportParserTest, DeadlySignalsAndTheNullBufferAreCrashes) {
  auto segv = parse_sanitizer_report(kPercpuSwap, "ThreadSanitizer:DEADLYSIGNAL\n==1==ERROR: ThreadSanitizer: SEGV on unknown address 0x0\n", "");
  ASSERT_TRUE(segv.has_value());
  EXPECT_EQ(segv->kind, VerdictKind::kCrash);
  EXPECT_EQ(segv->detail, "SIGSEGV");
  auto null_buffer =
      parse_sanitizer_report(kPercpuSwap, "dfrace: access through a NULL buffer (the drain installed a failed allocation)\n", "");
  ASSERT_TRUE(null_buffer.has_value());
  EXPECT_EQ(null_buffer->detail, "SIGSEGV");
}

TEST(ReportParserTest, NoReportIsNoFinding) {
  EXPECT_FALSE(parse_sanitizer_report(kPercpuSwap, "", "").has_value());
  EXPECT_FALSE(parse_sanitizer_report(kPercpuSwap, "some unrelated line\n", "").has_value());
}

TEST(ReportParserTest, ExcerptShortensTheRecipeArgument) {
  const std::string e = report_excerpt(
      "WARNING: ThreadSanitizer: data race (pid=1)\n  Read of size 8 at 0x1 by thread T1:\n"
      "    #0 dfrace::percpu_swap::DeferredFreePool<dfrace::NativePlatform, dfrace::Recipe<dfrace::percpu_swap::"
      "Protocol>{std::array<dfrace::Access, 21ul>{dfrace::Access [21]{(dfrace::Access)0}}}>::run_drain() pool.hpp:9\n");
  EXPECT_NE(e.find("DeferredFreePool<dfrace::NativePlatform, kRecipe>::run_drain()"), std::string::npos) << e;
}

}  // namespace
}  // namespace dfrace::stress
