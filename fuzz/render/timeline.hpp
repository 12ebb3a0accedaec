// The text timeline of a trace: one line per step, the step number and the thread named, then the event in words,
// wrapped at word boundaries so no line is longer than `width` (80-120 column terminals). Steps outside the focus
// (render/focus.hpp) are left out with a line saying how many; racing and violating accesses are marked `*`.
#pragma once

#include <string>

#include "core/wrap.hpp"
#include "rt/trace.hpp"

namespace dfrace::render {

struct TimelineOptions {
  bool full = false;        // every step, not just the focus
  std::size_t width = 100;  // columns
};

std::string timeline(const rt::Trace& t, const TimelineOptions& options = {});

using dfrace::wrap;  // core/wrap.hpp: shared with check's report

}  // namespace dfrace::render
