// A process that crashes (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) prints its stack on stderr before it dies of
// the same signal: the stress worker built without a sanitizer (a sanitizer prints its own, better report).
//
// Why not absl::FailureSignalHandler: with Debian 12's prebuilt Abseil it prints the faulting frame and nothing
// below it (its frame-pointer unwinder stops at the signal frame, even with -fno-omit-frame-pointer; measured with
// a three-frame test program). glibc's backtrace() unwinds through the signal frame with the unwind tables, so
// every frame is printed (function names need the binary linked with -rdynamic; addr2line resolves the rest).
#pragma once

namespace dfrace {

void install_crash_stack_printer();

}  // namespace dfrace
