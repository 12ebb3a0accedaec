#include "tools/replay.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "exec/registry.hpp"
#include "infra/quote.hpp"
#include "infra/recipe_lookup.hpp"
#include "protocols/registry.hpp"
#include "render/graph.hpp"
#include "render/timeline.hpp"
#include "rt/choices.hpp"
#include "schedule/finding_file.hpp"
#include "schedule/program.hpp"

namespace dfrace::fuzz {

std::optional<std::vector<std::uint8_t>> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

namespace {

// A name read from a file, safe to print: anything but printable ASCII becomes \xNN.
std::string printable(const std::string& raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::vector<std::uint8_t> finding_for(const std::string& recipe, const std::vector<std::uint8_t>& input) {
  rt::ChoiceSource in(input.data(), input.size());
  const Program prog = decode_program(in);
  const ProtocolInfo& protocol = *protocol_of(recipe);  // the recipe just ran: it exists
  return encode_finding({std::string(protocol.name), recipe, prog.nr_cpus, static_cast<unsigned>(prog.size),
                         protocol_site_hash(protocol), input});
}

bool write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

std::optional<LoadedSchedule> load_schedule(const std::string& path, const std::string& recipe_override,
                                            std::string& why) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    why = "is a directory, not a finding file (replay each file in it: ./dfrace repro DIR/FILE)";
    return std::nullopt;
  }
  auto bytes = read_file(path);
  if (!bytes) {
    why = "cannot read " + quote_escaped(path);
    return std::nullopt;
  }
  if (bytes->empty()) {
    why = "empty file (not a schedule)";
    return std::nullopt;
  }
  LoadedSchedule s;
  if (has_finding_magic(*bytes) || recipe_override.empty()) {
    auto f = decode_finding(*bytes, why);
    if (!f) {
      if (recipe_override.empty() && !has_finding_magic(*bytes) && !bytes->empty()) {
        why += "; a raw libFuzzer input needs --recipe NAME";
      }
      return std::nullopt;
    }
    s.recipe = recipe_override.empty() ? f->recipe : recipe_override;
    const ProtocolInfo* protocol = protocol_of(s.recipe);
    if (protocol == nullptr) {
      why = std::string(unknown_recipe(s.recipe).message());
      return std::nullopt;
    }
    if (f->protocol.empty() && !protocol->reads_version1_findings && recipe_override.empty()) {
      why = "a version-1 finding file names no protocol, and recipe " + quote_escaped(s.recipe) + "'s protocol (" +
            std::string(protocol->name) + ") does not read version 1";
      return std::nullopt;
    }
    // A schedule means the same to every protocol's executor: --recipe may replay it on another protocol's
    // recipe, but a file's own recipe must be of the protocol it names, and that protocol must be built in.
    const bool other_protocol = f->protocol.empty() ? !protocol->reads_version1_findings : f->protocol != protocol->name;
    if (other_protocol && !f->protocol.empty() &&
        (protocols::find_protocol(f->protocol) == nullptr || recipe_override.empty())) {
      why = "the finding is for protocol '" + printable(f->protocol) + "', " +
            (protocols::find_protocol(f->protocol) == nullptr ? "which this build does not check"
                                                              : "not recipe " + quote_escaped(s.recipe) + "'s") +
            " (" + quote_escaped(s.recipe) + " is a recipe of " + std::string(protocol->name) + ")";
      return std::nullopt;
    }
    s.input = std::move(f->input);
    s.from_finding_file = true;
    s.site_table_changed = !other_protocol && f->site_hash != protocol_site_hash(*protocol);
  } else {
    s.recipe = recipe_override;
    s.input = std::move(*bytes);
  }
  if (find_executor(s.recipe) == nullptr) {
    why = std::string(unknown_recipe(s.recipe).message());
    return std::nullopt;
  }
  return s;
}

std::optional<ExecResult> replay(const LoadedSchedule& s, std::ostream& out, const ReplayOptions& options) {
  ExecFn exec = find_executor(s.recipe);
  if (exec == nullptr) return std::nullopt;
  if (s.site_table_changed) {
    out << "warning: the pool changed since the finding was recorded (access-site table hash differs); "
           "replaying anyway\n";
  }
  ExecResult r = exec(s.input.data(), s.input.size(), {.trace = true, .feedback = false, .races_fatal = s.stop_at_race});
  out << render::wrap("recipe " + s.recipe + ": " + r.program.describe() + " (" + std::to_string(s.input.size()) +
                          " input bytes, " + std::to_string(r.outcome.steps) + " steps)",
                      options.width, 2)
      << "\n\n";
  out << render::timeline(r.trace, {.full = options.full, .width = options.width});
  out << "\n" << render::wrap((r.outcome.finding() ? "verdict: " : "") + r.outcome.line(), options.width, 9) << "\n";
  if (!options.picture.empty()) {
    std::string why;
    const std::string& svg = options.picture;
    const bool has_ext = svg.size() > 4 && svg.compare(svg.size() - 4, 4, ".svg") == 0;
    const std::string dot = (has_ext ? svg.substr(0, svg.size() - 4) : svg) + ".dot";
    if (render::render_svg(render::graph_dot(r.trace, options.full), dot, svg, why)) {
      out << "picture: " << svg << "\n";
    } else {
      out << "picture: " << why << "\n";
    }
  }
  return r;
}

}  // namespace dfrace::fuzz
