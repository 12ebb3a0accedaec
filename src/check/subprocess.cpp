#include "check/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dfrace::check {

namespace {

void drain_lines(std::string& pending, const std::function<void(const std::string&)>& on_line) {
  std::size_t nl;
  while ((nl = pending.find('\n')) != std::string::npos) {
    if (on_line) on_line(pending.substr(0, nl));
    pending.erase(0, nl + 1);
  }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::seconds deadline,
                          const std::function<void(const std::string& line)>& on_stderr_line) {
  ProcessResult result;
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
    result.error = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    result.error = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  if (pid == 0) {
    setpgid(0, 0);  // its own process group, so a deadline kills the engine and whatever it spawned
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(err_pipe[0]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    dprintf(STDERR_FILENO, "cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  const auto start = std::chrono::steady_clock::now();
  std::string err_pending;
  bool out_open = true, err_open = true;
  char buf[8192];
  while (out_open || err_open) {
    pollfd fds[2] = {{out_open ? out_pipe[0] : -1, POLLIN, 0}, {err_open ? err_pipe[0] : -1, POLLIN, 0}};
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (!result.timed_out && elapsed > deadline) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
    }
    if (poll(fds, 2, 500) < 0 && errno != EINTR) break;
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP))) {
      const ssize_t n = read(out_pipe[0], buf, sizeof buf);
      if (n > 0) result.out.append(buf, static_cast<std::size_t>(n));
      else out_open = false;
    }
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP))) {
      const ssize_t n = read(err_pipe[0], buf, sizeof buf);
      if (n > 0) {
        err_pending.append(buf, static_cast<std::size_t>(n));
        drain_lines(err_pending, on_stderr_line);
      } else {
        err_open = false;
      }
    }
  }
  if (!err_pending.empty() && on_stderr_line) on_stderr_line(err_pending);
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace dfrace::check
