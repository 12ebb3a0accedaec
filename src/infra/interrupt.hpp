// Interruption of a long-running command (Ctrl-C in a terminal, SIGTERM from a supervisor or CI).
//
// Contract
// - install_interrupt_handlers() makes SIGINT and SIGTERM set a process-wide flag instead of killing the process,
//   so the command can end its children (their whole process groups, see subprocess.hpp) before it exits.
// - interrupt_signal() is the signal received (0: none). It is safe to read from any thread.
// - exit_as_interrupted() restores the default action and re-raises the signal, so the parent shell sees the
//   command died of it (a shell loop around `./dfrace check` stops on Ctrl-C, as it should).
// The runner polls the flag; nothing else happens in the signal handler.
#pragma once

namespace dfrace {

void install_interrupt_handlers();
int interrupt_signal();
[[noreturn]] void exit_as_interrupted();

}  // namespace dfrace
