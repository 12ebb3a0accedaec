#include "prove/parallel.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "prove/proof_json.hpp"

namespace dfrace::fuzz {
namespace {

// One line per message: "P <executions> <probes> <depth>" (progress) or "R <json>" (the result, last).
void write_line(int fd, const std::string& line) {
  std::string s = line + "\n";
  const char* p = s.data();
  std::size_t left = s.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n <= 0) return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

struct Child {
  pid_t pid = -1;
  int fd = -1;
  std::string buffer;
  ProofProgress progress;
  std::optional<ProofResult> result;
};

}  // namespace

ProofResult prove_in_parallel(ExecFn exec, const std::vector<Program>& programs, const ProofOptions& options,
                              unsigned jobs) {
  if (jobs <= 1) return prove(exec, programs, options);
  std::fflush(nullptr);
  std::vector<Child> children(jobs);
  for (unsigned k = 0; k < jobs; ++k) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      ::close(fds[0]);
      ProofOptions mine = options;
      mine.shard = options.shard * jobs + k;  // --shard K/N --jobs J: shard K*J+k of N*J
      mine.shards = options.shards * jobs;
      mine.progress = [fd = fds[1]](const ProofProgress& p) {
        write_line(fd, "P " + std::to_string(p.executions) + " " + std::to_string(p.probes) + " " +
                           std::to_string(p.depth));
      };
      const ProofResult r = prove(exec, programs, mine);
      write_line(fds[1], "R " + to_json(r).dump());
      ::_exit(0);
    }
    ::close(fds[1]);
    children[k].pid = pid;
    children[k].fd = fds[0];
  }
  const auto start = std::chrono::steady_clock::now();
  unsigned open = jobs;
  while (open > 0) {
    std::vector<pollfd> fds;
    for (const Child& c : children) {
      if (c.fd >= 0) fds.push_back({c.fd, POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    for (Child& c : children) {
      if (c.fd < 0) continue;
      char buf[65536];
      pollfd probe{c.fd, POLLIN, 0};
      if (::poll(&probe, 1, 0) <= 0) continue;
      const ssize_t n = ::read(c.fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(c.fd);
        c.fd = -1;
        --open;
        continue;
      }
      c.buffer.append(buf, static_cast<std::size_t>(n));
      for (std::size_t nl; (nl = c.buffer.find('\n')) != std::string::npos;) {
        const std::string line = c.buffer.substr(0, nl);
        c.buffer.erase(0, nl + 1);
        if (line.rfind("P ", 0) == 0) {
          std::sscanf(line.c_str(), "P %lu %lu %zu", &c.progress.executions, &c.progress.probes, &c.progress.depth);
        } else if (line.rfind("R ", 0) == 0) {
          c.result = proof_result_from_json(nlohmann::json::parse(line.substr(2)));
          // One counterexample settles it: the other shards need not finish (their results count as incomplete).
          if (c.result->counterexample && !options.keep_going) {
            for (const Child& other : children) {
              if (other.fd >= 0 && &other != &c) ::kill(other.pid, SIGTERM);
            }
          }
        }
      }
    }
    if (options.progress) {
      ProofProgress sum;
      for (const Child& c : children) {
        sum.executions += c.progress.executions;
        sum.probes += c.progress.probes;
        sum.depth = std::max(sum.depth, c.progress.depth);
      }
      sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      options.progress(sum);
    }
  }
  ProofResult merged;
  merged.complete = true;
  for (Child& c : children) {
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    if (!c.result || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      merged.complete = false;  // a shard that died proved nothing
      continue;
    }
    merged.merge(*c.result);
  }
  return merged;
}

}  // namespace dfrace::fuzz
