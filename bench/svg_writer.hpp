// SvgPlot: a small, self-contained line-chart writer (no plotting dependency), enough for the two pictures.
//
// Contract: data coordinates are mapped to a plot area through the axes given (linear or log10; a log axis
// ignores points <= 0). Ticks are given by the caller as (value, label). `svg()` returns one complete SVG
// document; several plots can be placed side by side with `svg_document({plots...})`.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dfrace::bench {

struct SvgAxis {
  std::string title;
  double min = 0, max = 1;
  bool log = false;
  std::vector<std::pair<double, std::string>> ticks;
};

struct SvgSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y) in data units
  std::string color;
  bool dashed = false;
};

class SvgPlot {
 public:
  SvgPlot(std::string title, SvgAxis x, SvgAxis y) : title_(std::move(title)), x_(std::move(x)), y_(std::move(y)) {}
  void add(SvgSeries s) { series_.push_back(std::move(s)); }
  // The plot's elements inside a <g> translated to (left, top), `width` x `height` pixels in all.
  std::string group(double left, double top, double width, double height) const;

 private:
  std::string title_;
  SvgAxis x_, y_;
  std::vector<SvgSeries> series_;
};

// Plots laid out in one row, each `width` x `height`; `caption` goes under them.
std::string svg_document(const std::vector<SvgPlot>& plots, double width, double height, const std::string& caption);

// A palette of distinguishable colours, cycled.
std::string palette(std::size_t i);


}  // namespace dfrace::bench
