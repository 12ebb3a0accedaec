// The one way this engine includes Relacy. Include it before anything else that may not have been seen yet.
//
// <relacy/relacy.hpp> (not relacy_std.hpp, see docs/toolchain.md) replaces the global operator new/delete, so every
// allocation made while a Relacy run is in progress is on Relacy's heap (leaks and frees are checked). It also
// #defines new, delete, malloc, free, assert, errno and std::memory_order_* as macros for its debug-info proxies,
// which break any header parsed after it (`= delete`, `std::memory_order_acquire`). So every header this engine
// needs is parsed first, then Relacy, then the macros are removed: the replaced operators still do the checking.
#pragma once

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "backend/zs_backend.hpp"
#include "core/access.hpp"
#include "core/recipe.hpp"
#include "core/verdict.hpp"
#include "platform/platform.hpp"
#include "protocols/registry.hpp"

#include <relacy/relacy.hpp>

#undef new
#undef delete
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef assert
#undef errno
#undef memory_order_relaxed
#undef memory_order_consume
#undef memory_order_acquire
#undef memory_order_release
#undef memory_order_acq_rel
#undef memory_order_seq_cst
#undef VAR
#undef VAR_T
#undef TLS_T
