#include "svg_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/format.hpp"

namespace dfrace::bench {

namespace {

double to_unit(const SvgAxis& a, double v) {
  if (a.log) {
    if (v <= 0 || a.min <= 0) return -1;
    return (std::log10(v) - std::log10(a.min)) / (std::log10(a.max) - std::log10(a.min));
  }
  return (v - a.min) / (a.max - a.min);
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

std::string palette(std::size_t i) {
  static const char* const kColors[] = {"#000000", "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd",
                                        "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
  return kColors[i % (sizeof kColors / sizeof kColors[0])];
}

std::string SvgPlot::group(double left, double top, double width, double height) const {
  const double pl = 70, pr = 200, pt = 30, pb = 50;  // room for axis labels and the legend on the right
  const double w = width - pl - pr, h = height - pt - pb;
  auto px = [&](double x) { return pl + std::clamp(to_unit(x_, x), 0.0, 1.0) * w; };
  auto py = [&](double y) { return pt + (1.0 - std::clamp(to_unit(y_, y), 0.0, 1.0)) * h; };
  std::ostringstream o;
  o << "<g transform=\"translate(" << num(left) << "," << num(top) << ")\" font-family=\"sans-serif\" "
    << "font-size=\"11\">\n";
  o << "<text x=\"" << num(pl + w / 2) << "\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">"
    << xml_escape(title_) << "</text>\n";
  o << "<rect x=\"" << num(pl) << "\" y=\"" << num(pt) << "\" width=\"" << num(w) << "\" height=\"" << num(h)
    << "\" fill=\"none\" stroke=\"#444\"/>\n";
  for (const auto& [v, label] : x_.ticks) {
    const double x = px(v);
    o << "<line x1=\"" << num(x) << "\" y1=\"" << num(pt) << "\" x2=\"" << num(x) << "\" y2=\"" << num(pt + h)
      << "\" stroke=\"#ddd\"/>\n";
    o << "<text x=\"" << num(x) << "\" y=\"" << num(pt + h + 15) << "\" text-anchor=\"middle\">"
      << xml_escape(label) << "</text>\n";
  }
  for (const auto& [v, label] : y_.ticks) {
    const double y = py(v);
    o << "<line x1=\"" << num(pl) << "\" y1=\"" << num(y) << "\" x2=\"" << num(pl + w) << "\" y2=\"" << num(y)
      << "\" stroke=\"#ddd\"/>\n";
    o << "<text x=\"" << num(pl - 5) << "\" y=\"" << num(y + 4) << "\" text-anchor=\"end\">" << xml_escape(label)
      << "</text>\n";
  }
  o << "<text x=\"" << num(pl + w / 2) << "\" y=\"" << num(pt + h + 35) << "\" text-anchor=\"middle\">"
    << xml_escape(x_.title) << "</text>\n";
  o << "<text transform=\"translate(16," << num(pt + h / 2) << ") rotate(-90)\" text-anchor=\"middle\">"
    << xml_escape(y_.title) << "</text>\n";
  double legend_y = pt + 8;
  for (const SvgSeries& s : series_) {
    std::string path;
    for (const auto& [x, y] : s.points) {
      if ((x_.log && x <= 0) || (y_.log && y <= 0)) continue;
      path += (path.empty() ? "M" : " L") + num(px(x)) + "," + num(py(y));
    }
    if (!path.empty()) {
      o << "<path d=\"" << path << "\" fill=\"none\" stroke=\"" << s.color << "\" stroke-width=\"1.6\""
        << (s.dashed ? " stroke-dasharray=\"5,3\"" : "") << "/>\n";
    }
    o << "<line x1=\"" << num(pl + w + 10) << "\" y1=\"" << num(legend_y) << "\" x2=\"" << num(pl + w + 32)
      << "\" y2=\"" << num(legend_y) << "\" stroke=\"" << s.color << "\" stroke-width=\"2\""
      << (s.dashed ? " stroke-dasharray=\"5,3\"" : "") << "/>\n";
    o << "<text x=\"" << num(pl + w + 36) << "\" y=\"" << num(legend_y + 4) << "\">" << xml_escape(s.name)
      << "</text>\n";
    legend_y += 15;
  }
  o << "</g>\n";
  return o.str();
}

std::string svg_document(const std::vector<SvgPlot>& plots, double width, double height, const std::string& caption) {
  const double total_w = width * static_cast<double>(plots.size());
  const double total_h = height + 30;
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(total_w) << "\" height=\"" << num(total_h)
    << "\" viewBox=\"0 0 " << num(total_w) << " " << num(total_h) << "\">\n";
  o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  for (std::size_t i = 0; i < plots.size(); ++i) o << plots[i].group(width * static_cast<double>(i), 0, width, height);
  o << "<text x=\"10\" y=\"" << num(height + 18) << "\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#444\">"
    << xml_escape(caption) << "</text>\n";
  o << "</svg>\n";
  return o.str();
}

}  // namespace dfrace::bench
