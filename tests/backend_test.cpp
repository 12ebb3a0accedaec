// The zsmalloc stand-in's accounting: exact, and misuse is recorded rather than crashing.
#include <gtest/gtest.h>

#include "backend/zs_backend.hpp"

namespace dfrace {
namespace {

TEST(ZsBackendTest, HandsOutUniqueNonZeroHandles) {
  ZsBackend<> b;
  Handle h1 = b.zs_malloc(), h2 = b.zs_malloc();
  EXPECT_NE(h1, kNeverWritten);
  EXPECT_NE(h1, h2);
}

TEST(ZsBackendTest, FreeingEachOnceIsClean) {
  ZsBackend<> b;
  Handle h1 = b.zs_malloc(), h2 = b.zs_malloc();
  b.zs_free(h2);
  b.zs_free(h1);
  BackendAudit a = b.audit();
  EXPECT_TRUE(a.each_freed_exactly_once()) << a.summary();
  EXPECT_EQ(a.allocated, 2u);
  EXPECT_EQ(a.freed, 2u);
}

TEST(ZsBackendTest, DetectsDoubleFree) {
  ZsBackend<> b;
  Handle h = b.zs_malloc();
  b.zs_free(h);
  b.zs_free(h);
  BackendAudit a = b.audit();
  ASSERT_EQ(a.misuse.size(), 1u);
  EXPECT_EQ(a.misuse[0].kind, MisuseKind::kDoubleFree);
  EXPECT_EQ(a.misuse[0].handle, h);
  EXPECT_FALSE(a.each_freed_exactly_once());
}

TEST(ZsBackendTest, DetectsUnknownHandleAndNeverWrittenSlot) {
  ZsBackend<> b;
  b.zs_malloc();
  b.zs_free(12345);
  b.zs_free(kNeverWritten);
  BackendAudit a = b.audit();
  ASSERT_EQ(a.misuse.size(), 2u);
  EXPECT_EQ(a.misuse[0].kind, MisuseKind::kUnknownHandle);
  EXPECT_EQ(a.misuse[1].kind, MisuseKind::kNeverWrittenSlot);
  EXPECT_NE(a.misuse[1].describe().find("never written"), std::string::npos);
}

TEST(ZsBackendTest, ReportsLeakedHandles) {
  ZsBackend<> b;
  Handle h1 = b.zs_malloc();
  Handle h2 = b.zs_malloc();
  b.zs_free(h1);
  BackendAudit a = b.audit();
  ASSERT_EQ(a.live.size(), 1u);
  EXPECT_EQ(a.live[0], h2);
  EXPECT_FALSE(a.each_freed_exactly_once());
}

TEST(ZsBackendTest, CallsTheMisuseHookAtOnce) {
  ZsBackend<> b;
  int calls = 0;
  b.on_misuse = [&](const Misuse& m) { ++calls; EXPECT_EQ(m.kind, MisuseKind::kUnknownHandle); };
  b.zs_free(7);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace dfrace
