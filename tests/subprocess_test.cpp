// The subprocess runner (infra/subprocess.hpp): the child's whole process group ends with it, at the deadline,
// and the pipes it gets are only its own.
#include "infra/subprocess.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <thread>

namespace dfrace {
namespace {

bool gone(pid_t pid) {
  for (int i = 0; i < 100; ++i) {  // the killed process may need a moment to be reaped by init
    if (kill(pid, 0) != 0 && errno == ESRCH) return true;
    usleep(20000);
  }
  return false;
}

TEST(Subprocess, CapturesOutputAndExitCode) {
  std::vector<std::string> lines;
  SubprocessOptions o;
  o.on_stderr_line = [&](std::string_view l) { lines.emplace_back(l); };
  auto r = run_subprocess({"/bin/sh", "-c", "echo out; echo one >&2; printf two >&2; exit 7"}, o);
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two"}));
  EXPECT_TRUE(r.start_error.empty());
}

TEST(Subprocess, WhatTheChildLeftBehindIsEnded) {
  // The child starts a grandchild that keeps the child's stdout open, prints its pid and exits.
  auto r = run_subprocess({"/bin/sh", "-c", "sleep 300 & echo $!"}, {});
  EXPECT_EQ(r.exit_code, 0);
  const pid_t grandchild = std::stoi(r.out);
  EXPECT_TRUE(gone(grandchild)) << "pid " << grandchild << " outlived its parent's run";
}

TEST(Subprocess, DeadlineEndsTheGroup) {
  SubprocessOptions o;
  o.deadline = absl::Milliseconds(300);
  auto r = run_subprocess({"/bin/sh", "-c", "sleep 300 & echo $!; wait"}, o);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_TRUE(gone(std::stoi(r.out)));
}

TEST(Subprocess, ACannotStartIsSaid) {
  auto r = run_subprocess({"/nonexistent/engine", "--json"}, {});
  EXPECT_FALSE(r.start_error.empty());
  EXPECT_NE(r.start_error.find("/nonexistent/engine"), std::string::npos) << r.start_error;
}

// The descriptors of this process a child legitimately inherits: those not marked close-on-exec (the test
// harness may pass some down to us).
std::set<int> inheritable_fds() {
  std::set<int> fds;
  for (int fd = 0; fd < 1024; ++fd) {
    const int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC)) fds.insert(fd);
  }
  return fds;
}

TEST(Subprocess, TheChildHoldsNoOtherDescriptors) {
  // While another child runs (its pipes open in this process), a second child lists its descriptors: the ones
  // this process lets every child inherit, its own stdin/stdout/stderr, and ls's directory handle, nothing else.
  std::thread other([] { run_subprocess({"/bin/sh", "-c", "sleep 1"}, {}); });
  usleep(100000);
  std::set<int> expected = inheritable_fds();
  expected.insert({0, 1, 2});
  auto r = run_subprocess({"/bin/sh", "-c", "exec ls /proc/self/fd"}, {});
  other.join();
  std::istringstream in(r.out);
  std::vector<int> extra;
  for (int fd; in >> fd;) {
    if (!expected.count(fd)) extra.push_back(fd);
  }
  EXPECT_LE(extra.size(), 1u) << "descriptors beyond ls's own:\n" << r.out;
}

}  // namespace
}  // namespace dfrace
