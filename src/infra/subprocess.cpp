#include "infra/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <absl/time/clock.h>

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/group.hpp>
#include <boost/process/io.hpp>
#include <boost/process/pipe.hpp>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <system_error>

#include "infra/interrupt.hpp"

namespace dfrace {

namespace bp = boost::process;

namespace {

std::mutex g_spawn_mutex;  // one fork at a time: see the header

// A close-on-exec pipe in Boost.Process's type; the child's end is dup2'ed onto 1 or 2, which clears the flag.
std::optional<bp::pipe> cloexec_pipe(std::string& error) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    error = std::string("pipe2: ") + std::strerror(errno);
    return std::nullopt;
  }
  return bp::pipe(fds[0], fds[1]);
}

// One output stream of the child: reads what is there, keeps it, hands out complete lines.
struct Stream {
  int fd;
  std::string* kept;
  const std::function<void(std::string_view)>* on_line;
  std::size_t max_kept;
  std::string pending;
  bool open = true;

  // Returns the number of complete lines delivered.
  int read_some() {
    char buf[65536];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
    if (n <= 0) {
      open = false;
      if (!pending.empty() && *on_line) (*on_line)(pending);
      pending.clear();
      return 0;
    }
    if (kept->size() < max_kept) kept->append(buf, static_cast<std::size_t>(n));
    pending.append(buf, static_cast<std::size_t>(n));
    int lines = 0;
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1, ++lines) {
      if (*on_line) (*on_line)(std::string_view(pending).substr(start, nl - start));
    }
    pending.erase(0, start);
    return lines;
  }
};

}  // namespace

SubprocessResult run_subprocess(const std::vector<std::string>& argv, const SubprocessOptions& options) {
  SubprocessResult result;
  if (argv.empty()) {
    result.start_error = "nothing to run";
    return result;
  }
  auto out_pipe = cloexec_pipe(result.start_error);
  auto err_pipe = cloexec_pipe(result.start_error);
  if (!out_pipe || !err_pipe) return result;

  const absl::Time started = absl::Now();
  bp::group group;
  bp::child child;
  {
    std::lock_guard lock(g_spawn_mutex);
    std::error_code ec;
    const std::vector<std::string> args(argv.begin() + 1, argv.end());
    if (options.own_process_group) {
      child = bp::child(bp::exe = argv[0], bp::args = args, bp::std_out > *out_pipe, bp::std_err > *err_pipe, group, ec);
    } else {
      child = bp::child(bp::exe = argv[0], bp::args = args, bp::std_out > *out_pipe, bp::std_err > *err_pipe, ec);
    }
    if (ec) {
      result.start_error = "cannot run " + argv[0] + ": " + ec.message();
      group.detach();
      return result;
    }
  }
  child.detach();  // waited for below, by pid
  const pid_t pid = child.id();
  // The child puts itself in its group before exec; doing it here as well means a signal sent right after the
  // spawn cannot miss it (the classic double setpgid; EACCES once it has exec'ed is fine).
  if (options.own_process_group) setpgid(pid, pid);
  // Signals go to the whole group when the child has one, else to the child alone.
  auto signal_child = [&, pgid = options.own_process_group ? group.native_handle() : 0](int sig) {
    if (pgid > 0) killpg(pgid, sig);
    else kill(pid, sig);
  };

  Stream out{out_pipe->native_source(), &result.out, &options.on_stdout_line, options.max_kept, {}, true};
  Stream err{err_pipe->native_source(), &result.err, &options.on_stderr_line, options.max_kept, {}, true};
  absl::Time last_line = started;
  std::optional<absl::Time> stop_sent;
  bool killed = false;
  auto kill_group = [&] {
    if (!killed) signal_child(SIGKILL);
    killed = true;
  };
  bool exited = false;
  while (!exited) {
    pollfd fds[2] = {{out.open ? out.fd : -1, POLLIN, 0}, {err.open ? err.fd : -1, POLLIN, 0}};
    const int ready = (out.open || err.open) ? poll(fds, 2, 100) : (usleep(20000), 0);
    if (ready > 0) {
      if (out.open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
        if (out.read_some() > 0) last_line = absl::Now();
      }
      if (err.open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
        err.read_some();
        if (result.first_stderr == absl::InfiniteDuration() && !result.err.empty()) {
          result.first_stderr = absl::Now() - started;
        }
      }
    }
    const absl::Time now = absl::Now();
    if (!killed && now - started > options.deadline) {
      result.timed_out = true;
      kill_group();
    }
    if (!killed && !stop_sent && now - last_line > options.silence_limit) {
      result.hung = true;
      kill_group();
    }
    if (interrupt_signal() != 0 && !stop_sent && !killed) {
      result.interrupted = true;
      signal_child(options.stop_signal);
      stop_sent = now;
    }
    if (stop_sent && now - *stop_sent > options.grace) kill_group();
    // Exited, but not reaped yet: its pid (and so the group id) cannot be reused while we sweep the group.
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) {
      exited = true;
    }
  }
  if (options.own_process_group) signal_child(SIGKILL);  // whatever it started and left behind
  // The rest of what it wrote. The writers are gone; a second of silence ends the wait all the same (a process
  // that left the group could still hold a pipe).
  for (Stream* s : {&out, &err}) {
    while (s->open) {
      pollfd fd{s->fd, POLLIN, 0};
      if (poll(&fd, 1, 1000) <= 0) break;
      s->read_some();
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  group.detach();
  result.wall = absl::Now() - started;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace dfrace
