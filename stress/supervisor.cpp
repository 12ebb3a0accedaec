#include "supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

namespace dfrace::stress {

namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted.store(true, std::memory_order_relaxed); }

constexpr std::size_t kMaxStderr = 8u << 20;  // keep at most 8 MiB of reports

// Appends what is readable on `fd`; false at end of file.
bool drain_fd(int fd, std::string& into) {
  char buf[65536];
  const ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0) {
    if (into.size() < kMaxStderr) into.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

}  // namespace

WorkerOutcome run_worker_process(const StressOptions& options,
                                 const std::function<void(const StressTotals&)>& on_progress, double hang_seconds,
                                 double grace_seconds) {
  WorkerOutcome out;
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
    out.failure = std::string("pipe: ") + std::strerror(errno);
    return out;
  }
  const std::string options_json = to_json(options).dump();
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    out.failure = std::string("fork: ") + std::strerror(errno);
    return out;
  }
  if (pid == 0) {  // child: only async-signal-safe calls until exec
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[0]);
    close(err_pipe[1]);
    const char* argv[] = {"dfrace-stress", "--worker", options_json.c_str(), nullptr};
    execv("/proc/self/exe", const_cast<char* const*>(argv));
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);

  struct sigaction sa {}, old_int {}, old_term {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  auto last_line = Clock::now();
  std::optional<Clock::time_point> stop_sent;
  std::string out_text;
  std::size_t consumed = 0;
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    const int ready = poll(fds, 2, 100);
    if (ready > 0) {
      if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) out_open = drain_fd(out_pipe[0], out_text);
      if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
        err_open = drain_fd(err_pipe[0], out.stderr_text);
        if (out.first_stderr_seconds < 0 && !out.stderr_text.empty()) {
          out.first_stderr_seconds = std::chrono::duration<double>(Clock::now() - started).count();
        }
      }
      if (!out_open) fds[0].fd = -1;
    }
    for (std::size_t nl; (nl = out_text.find('\n', consumed)) != std::string::npos; consumed = nl + 1) {
      const std::string line = out_text.substr(consumed, nl - consumed);
      const auto space = line.find(' ');
      if (space == std::string::npos) continue;
      const std::string kind = line.substr(0, space);
      const auto j = nlohmann::json::parse(line.substr(space + 1), nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded()) continue;
      last_line = Clock::now();
      out.last_progress = totals_from_json(j);
      if (kind == "result") out.result = out.last_progress;
      else if (on_progress) on_progress(out.last_progress);
    }
    if (g_interrupted.load(std::memory_order_relaxed) && !stop_sent) {
      out.interrupted = true;
      kill(pid, SIGINT);
      stop_sent = Clock::now();
    }
    const auto now = Clock::now();
    if (stop_sent && now - *stop_sent > std::chrono::duration<double>(grace_seconds)) kill(pid, SIGKILL);
    if (!stop_sent && now - last_line > std::chrono::duration<double>(hang_seconds)) {
      out.hung = true;
      kill(pid, SIGKILL);
      stop_sent = now;
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) out.signal = WTERMSIG(status);
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  return out;
}

}  // namespace dfrace::stress
