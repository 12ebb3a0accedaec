#include "report_parser.hpp"

#include <cctype>
#include <regex>
#include <sstream>

#include "core/protocol_info.hpp"

namespace dfrace::stress {

namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool is_frame(const std::string& line) {
  static const std::regex kFrame(R"(^\s+#\d+ )");
  return std::regex_search(line, kFrame);
}

bool is_free_frame(const std::string& line) {
  static const std::regex kFree(R"(#\d+ (0x[0-9a-f]+ in )?(operator delete|free|__interceptor_free|cfree)\b)");
  return std::regex_search(line, kFree);
}

// One access of a report: its header ("Write of size 8 at ... by thread T2:") and its frames.
struct Stack {
  std::string header;
  std::vector<std::string> frames;
};

// Stacks of the report that starts at `begin`, up to its SUMMARY line.
std::vector<Stack> stacks_of(const std::vector<std::string>& lines, std::size_t begin) {
  static const std::regex kAccess(R"(^\s*(Previous )?(atomic )?(read|write) of size \d+)", std::regex::icase);
  std::vector<Stack> stacks;
  for (std::size_t i = begin + 1; i < lines.size() && lines[i].rfind("SUMMARY:", 0) != 0; ++i) {
    if (std::regex_search(lines[i], kAccess)) {
      stacks.push_back({lines[i], {}});
    } else if (!stacks.empty() && is_frame(lines[i])) {
      stacks.back().frames.push_back(lines[i]);
    } else if (!stacks.empty() && !stacks.back().frames.empty()) {
      stacks.push_back({"", {}});  // a different block (mutexes, thread creation): stop attaching frames
    }
  }
  std::vector<Stack> accesses;
  for (auto& s : stacks) {
    if (!s.header.empty()) accesses.push_back(std::move(s));
  }
  return accesses;
}

std::string site_of_stack(const ProtocolInfo& protocol, const Stack& s, const std::vector<std::string>& by_line) {
  for (const auto& f : s.frames) {
    if (std::string site = site_of_frame(protocol, f, {}); !site.empty()) return site;
  }
  for (const auto& f : s.frames) {
    if (std::string site = site_of_frame(protocol, f, by_line); !site.empty()) return site;
  }
  return {};
}

// A readable name for a stack no site matched: its first frame's function.
std::string function_of_stack(const Stack& s) {
  // The pool's allocation and free are no access sites, but they are the other side of a race often enough
  // (a producer touching a buffer the drain just allocated or freed) to deserve the seed's words.
  for (const auto& f : s.frames) {
    if (f.find("allocate_buffer") != std::string::npos) return "(the drain's kvmalloc_array: new_buf's memory)";
    if (f.find("free_buffer") != std::string::npos) return "(the drain's kvfree(old_buf))";
  }
  static const std::regex kFunc(R"(#\d+ (?:0x[0-9a-f]+ in )?(.+?) (?:/|\(|<null>))");
  std::smatch m;
  if (!s.frames.empty() && std::regex_search(s.frames.front(), m, kFunc)) return "(outside the pool: " + m[1].str() + ")";
  return "(unknown access)";
}

std::string signal_name(const std::string& word) {
  if (word == "SEGV") return "SIGSEGV";
  if (word == "BUS") return "SIGBUS";
  if (word == "FPE") return "SIGFPE";
  if (word == "ILL") return "SIGILL";
  if (word == "ABRT") return "SIGABRT";
  return word;
}

}  // namespace

std::vector<std::string> sites_by_line(const ProtocolInfo& protocol, const std::string& pool_source_text) {
  std::vector<std::string> by_line(1);  // index 0 unused: lines are 1-based
  for (const auto& line : split_lines(pool_source_text)) {
    std::string found;
    for (const auto& info : protocol.sites) {
      if (line.find("Site::" + site_enumerator(info.name) + ">") != std::string::npos) found = std::string(info.name);
    }
    by_line.push_back(found);
  }
  return by_line;
}

std::string site_of_frame(const ProtocolInfo& protocol, const std::string& frame_line,
                          const std::vector<std::string>& by_line) {
  if (by_line.empty()) {
    static const std::regex kAccessFn(R"(Shared<.*?>::(load|store)<\(dfrace::Access\)\d+, (\d+)(ul|u|l)?>)");
    std::smatch m;
    if (std::regex_search(frame_line, m, kAccessFn)) {
      const std::size_t index = std::stoul(m[2].str());
      if (index < protocol.sites.size()) return std::string(protocol.sites[index].name);
    }
    return {};
  }
  static const std::regex kPoolLine(R"(pool\.hpp:(\d+))");
  std::smatch m;
  if (std::regex_search(frame_line, m, kPoolLine)) {
    const std::size_t line = std::stoul(m[1].str());
    if (line < by_line.size()) return by_line[line];
  }
  return {};
}

std::optional<SanitizerFinding> parse_sanitizer_report(const ProtocolInfo& protocol, const std::string& text,
                                                       const std::string& pool_source) {
  const std::vector<std::string> lines = split_lines(text);
  const std::vector<std::string> by_line = sites_by_line(protocol, pool_source);
  static const std::regex kTsan(R"(WARNING: ThreadSanitizer: ([a-z\- ]+?) \()");
  static const std::regex kError(R"(ERROR: (AddressSanitizer|ThreadSanitizer|LeakSanitizer): ([A-Za-z\-]+))");
  static const std::regex kUbsan(R"(runtime error: (.*))");
  static const std::regex kNullBuffer(R"(dfrace: access through a NULL buffer)");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    const std::string& line = lines[i];
    if (std::regex_search(line, m, kNullBuffer)) {
      return SanitizerFinding{VerdictKind::kCrash, "SIGSEGV", line};
    }
    if (std::regex_search(line, m, kTsan) || std::regex_search(line, m, kError)) {
      const std::string what = m.size() > 2 && m[2].matched ? m[2].str() : m[1].str();
      const std::vector<Stack> stacks = stacks_of(lines, i);
      auto name = [&](std::size_t k) {
        if (k >= stacks.size()) return std::string("(unknown access)");
        std::string s = site_of_stack(protocol, stacks[k], by_line);
        return s.empty() ? function_of_stack(stacks[k]) : s;
      };
      if (what == "data race" || what == "data-race") {
        const bool first_is_free = !stacks.empty() && !stacks[0].frames.empty() && is_free_frame(stacks[0].frames[0]);
        const bool second_is_free =
            stacks.size() > 1 && !stacks[1].frames.empty() && is_free_frame(stacks[1].frames[0]);
        if (first_is_free != second_is_free) {
          return SanitizerFinding{VerdictKind::kUseAfterFree, name(first_is_free ? 1 : 0), line};
        }
        return SanitizerFinding{VerdictKind::kDataRace, race_pair(name(0), name(1)), line};
      }
      if (what.find("use-after-free") != std::string::npos) {
        return SanitizerFinding{VerdictKind::kUseAfterFree, name(0), line};
      }
      if (what == "LeakSanitizer" || what == "detected") {
        return SanitizerFinding{VerdictKind::kInvariant, "memory leaked (LeakSanitizer)", line};
      }
      if (what == "SEGV" || what == "BUS" || what == "FPE" || what == "ILL" || what == "ABRT") {
        return SanitizerFinding{VerdictKind::kCrash, signal_name(what), line};
      }
      // Another sanitizer error (heap-buffer-overflow, double-free, ...): a crash of the kind the report names,
      // at the access the first stack shows.
      return SanitizerFinding{VerdictKind::kCrash, what + " at " + name(0), line};
    }
    if (std::regex_search(line, m, kUbsan)) {
      return SanitizerFinding{VerdictKind::kCrash, "undefined behaviour (" + m[1].str() + ")", line};
    }
  }
  return std::nullopt;
}

std::string report_excerpt(const std::string& text, std::size_t frames_per_stack) {
  static const std::regex kRecipeBlob(R"(dfrace::Recipe<dfrace::\w+::Protocol>\{.*?\}\}\})");
  static const std::regex kModule(R"( \([^ ()]+\+0x[0-9a-f]+\)( \(BuildId: [0-9a-f]+\))?$)");
  static const std::regex kFrameNumber(R"(^\s+#(\d+) )");
  static const std::regex kAccess(R"(^\s*(Previous )?(atomic )?(read|write) of size \d+)", std::regex::icase);
  std::string out;
  bool in_access = false;  // inside an access's stack (other blocks: locations, mutexes, threads are left out)
  for (const auto& raw : split_lines(text)) {
    std::smatch m;
    const bool frame = std::regex_search(raw, m, kFrameNumber);
    if (!frame) in_access = std::regex_search(raw, kAccess);
    const bool heading = raw.find("Sanitizer") != std::string::npos || raw.rfind("dfrace:", 0) == 0;
    if (!in_access && !heading) continue;
    if (frame && std::stoul(m[1].str()) >= frames_per_stack) continue;
    std::string line = std::regex_replace(std::regex_replace(raw, kRecipeBlob, "kRecipe"), kModule, "");
    if (line.size() > 200) line = line.substr(0, 197) + "...";
    out += line + "\n";
    if (line.rfind("SUMMARY:", 0) == 0) break;
  }
  return out;
}

}  // namespace dfrace::stress
