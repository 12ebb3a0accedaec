// The execution graph of a trace in Graphviz DOT, the picture GenMC and herd7 users know: one column per thread
// (a cluster) with its events top to bottom in program order (po), reads-from arrows (rf) from each store to the
// loads that read it, synchronizes-with (sw: an acquire that read a release, a successful schedule_work and the
// drain run it starts), the racing pair joined in red and the violating access outlined in red, the verdict below.
//
// Contract: graph_dot() covers the focus (render/focus.hpp) or every event with `full`. render_svg() runs Graphviz
// `dot` (Debian package graphviz) and returns false with `why` when it cannot (not installed, failed); the .dot file
// is written either way.
#pragma once

#include <string>

#include "rt/trace.hpp"

namespace dfrace::render {

std::string graph_dot(const rt::Trace& t, bool full);
bool render_svg(const std::string& dot_text, const std::string& dot_path, const std::string& svg_path,
                std::string& why);

}  // namespace dfrace::render
