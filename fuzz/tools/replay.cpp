#include "tools/replay.hpp"

#include <fstream>
#include <iterator>

#include "exec/registry.hpp"
#include "rt/choices.hpp"
#include "schedule/finding_file.hpp"
#include "schedule/program.hpp"

namespace dfrace::fuzz {

std::optional<std::vector<std::uint8_t>> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::uint8_t> finding_for(const std::string& recipe, const std::vector<std::uint8_t>& input) {
  rt::ChoiceSource in(input.data(), input.size());
  const Program prog = decode_program(in);
  return encode_finding({recipe, prog.nr_cpus, static_cast<unsigned>(prog.size), site_table_hash(), input});
}

bool write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

std::optional<LoadedSchedule> load_schedule(const std::string& path, const std::string& recipe_override,
                                            std::string& why) {
  auto bytes = read_file(path);
  if (!bytes) {
    why = "cannot read " + path;
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
    s.input = std::move(f->input);
    s.from_finding_file = true;
    s.site_table_changed = f->site_hash != site_table_hash();
  } else {
    s.recipe = recipe_override;
    s.input = std::move(*bytes);
  }
  if (find_executor(s.recipe) == nullptr) {
    why = "unknown recipe '" + s.recipe + "'";
    return std::nullopt;
  }
  return s;
}

std::optional<ExecResult> replay(const LoadedSchedule& s, std::ostream& out, const std::string& svg_path) {
  ExecFn exec = find_executor(s.recipe);
  if (exec == nullptr) return std::nullopt;
  if (s.site_table_changed) {
    out << "warning: the pool changed since the finding was recorded (access-site table hash differs); "
           "replaying anyway\n";
  }
  ExecResult r = exec(s.input.data(), s.input.size(), {.trace = true, .feedback = false, .races_fatal = !s.consequences});
  out << "recipe " << s.recipe << ": " << r.program.describe() << " (" << s.input.size() << " input bytes)\n\n";
  out << r.trace.timeline();
  out << "\n" << (r.outcome.finding() ? "verdict: " : "") << r.outcome.line() << "\n";
  if (!svg_path.empty()) {
    std::ofstream svg(svg_path);
    svg << r.trace.svg();
    if (svg) out << "picture: " << svg_path << "\n";
  }
  return r;
}

}  // namespace dfrace::fuzz
