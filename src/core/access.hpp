// The kernel's access vocabulary and what each word means in C++ (docs/semantics.md §1).
//
// A recipe assigns one `Access` to every shared-access site of a protocol. The pool asks its platform to perform
// the access with exactly that meaning, so every engine (native threads, Relacy, the fuzz executor) checks the
// same thing. Nothing here knows about a particular protocol.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace dfrace {

enum class Access : std::uint8_t {
  kPlain,    // x = v / v = x: non-atomic; an unordered conflicting access is a data race
  kOnce,     // READ_ONCE / WRITE_ONCE: memory_order_relaxed
  kAcquire,  // smp_load_acquire: memory_order_acquire load
  kRelease,  // smp_store_release: memory_order_release store
  kReuse,    // no access at all: reuse the value this code path already loaded (only for reload sites)
  kNone,     // a fence site with no fence
  kRmb,      // smp_rmb: acquire fence (stronger than the kernel's, which orders only loads)
  kWmb,      // smp_wmb: release fence (stronger than the kernel's, which orders only stores)
  kMb,       // smp_mb: seq_cst fence
};

// What a site does, which decides the accesses a recipe may give it.
enum class SiteKind : std::uint8_t {
  kLoad,    // plain, once, acquire
  kReload,  // a load the seed repeats: plain, once, acquire, or reuse
  kStore,   // plain, once, release
  kFence,   // none, rmb, wmb, mb
  kRmw,     // an exchange or compare-exchange: once (*_relaxed), acquire, release, mb (fully ordered, as the
            // kernel's plain xchg/cmpxchg); never plain (an RMW is atomic by definition)
};

constexpr bool access_allowed(SiteKind kind, Access a) {
  switch (kind) {
    case SiteKind::kLoad: return a == Access::kPlain || a == Access::kOnce || a == Access::kAcquire;
    case SiteKind::kReload:
      return a == Access::kPlain || a == Access::kOnce || a == Access::kAcquire || a == Access::kReuse;
    case SiteKind::kStore: return a == Access::kPlain || a == Access::kOnce || a == Access::kRelease;
    case SiteKind::kFence:
      return a == Access::kNone || a == Access::kRmb || a == Access::kWmb || a == Access::kMb;
    case SiteKind::kRmw:
      return a == Access::kOnce || a == Access::kAcquire || a == Access::kRelease || a == Access::kMb;
  }
  return false;
}

constexpr bool is_marked(Access a) { return a == Access::kOnce || a == Access::kAcquire || a == Access::kRelease; }

// The C++ memory order of a marked access or a fence. Plain, reuse and "no fence" have none.
constexpr std::memory_order memory_order_of(Access a) {
  switch (a) {
    case Access::kAcquire: case Access::kRmb: return std::memory_order_acquire;
    case Access::kRelease: case Access::kWmb: return std::memory_order_release;
    case Access::kMb: return std::memory_order_seq_cst;
    default: return std::memory_order_relaxed;
  }
}

// Short spelling used in recipe listings, JSON and mutant names.
constexpr std::string_view access_name(Access a) {
  switch (a) {
    case Access::kPlain: return "plain";
    case Access::kOnce: return "once";
    case Access::kAcquire: return "acquire";
    case Access::kRelease: return "release";
    case Access::kReuse: return "reuse";
    case Access::kNone: return "none";
    case Access::kRmb: return "rmb";
    case Access::kWmb: return "wmb";
    case Access::kMb: return "mb";
  }
  return "?";
}

// The kernel spelling of an access at a site of the given kind, as a reviewer would write it.
constexpr std::string_view kernel_spelling(SiteKind kind, Access a) {
  if (kind == SiteKind::kRmw) {
    switch (a) {
      case Access::kOnce: return "xchg_relaxed / cmpxchg_relaxed";
      case Access::kAcquire: return "xchg_acquire / cmpxchg_acquire";
      case Access::kRelease: return "xchg_release / cmpxchg_release";
      case Access::kMb: return "xchg / cmpxchg (fully ordered)";
      default: return "?";
    }
  }
  switch (a) {
    case Access::kPlain: return kind == SiteKind::kStore ? "x = v" : "v = x";
    case Access::kOnce: return kind == SiteKind::kStore ? "WRITE_ONCE" : "READ_ONCE";
    case Access::kAcquire: return "smp_load_acquire";
    case Access::kRelease: return "smp_store_release";
    case Access::kReuse: return "(reuses the loaded value)";
    case Access::kNone: return "(no barrier)";
    case Access::kRmb: return "smp_rmb";
    case Access::kWmb: return "smp_wmb";
    case Access::kMb: return "smp_mb";
  }
  return "?";
}

std::optional<Access> parse_access(std::string_view name);

// One step weaker, as the mutant generator uses it: acquire/release -> once -> plain, any fence -> none.
// Returns nullopt where nothing is weaker (plain, reuse, none).
constexpr std::optional<Access> one_step_weaker(Access a) {
  switch (a) {
    case Access::kAcquire: case Access::kRelease: return Access::kOnce;
    case Access::kOnce: return Access::kPlain;
    case Access::kRmb: case Access::kWmb: case Access::kMb: return Access::kNone;
    default: return std::nullopt;
  }
}

// The single-step weakenings of an access at a site of the given kind, as the mutant generator makes them.
// A fully ordered RMW has two (release-only, acquire-only), an acquire or release RMW one (relaxed); a relaxed
// RMW none, since an RMW cannot be plain. Every other kind has one_step_weaker's, if any.
struct Weakenings {
  std::array<Access, 2> to{};
  std::size_t count = 0;
};

constexpr Weakenings one_step_weakenings(SiteKind kind, Access a) {
  if (kind == SiteKind::kRmw) {
    switch (a) {
      case Access::kMb: return {{Access::kRelease, Access::kAcquire}, 2};
      case Access::kAcquire: case Access::kRelease: return {{Access::kOnce, Access::kOnce}, 1};
      default: return {};
    }
  }
  if (auto weaker = one_step_weaker(a)) return {{*weaker, *weaker}, 1};
  return {};
}

}  // namespace dfrace
