// Graceful SIGINT/SIGTERM handling for long runs.
//
//   imeval::InterruptWatcher watcher;            // in main, before any other thread starts
//   while (...) { if (imeval::interrupt_requested()) throw imeval::Interrupted(); ... }
//
// The first signal sets a flag that the pipeline and the batch loop poll; if the
// program has not finished 1.5 s later (a forward pass can take seconds) it exits
// with 128 + signal, unless it is inside a CriticalSection (writing a results file).
// A second signal exits at once, with the same exception for critical sections.
#pragma once

#include <stdexcept>
#include <thread>

namespace imeval {

class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted by signal; no results were written") {}
};

bool interrupt_requested();
// For tests and for code that wants to stop a run without a signal.
void request_interrupt();
int interrupt_signal();  // the signal received, or 0

class InterruptWatcher {
 public:
  InterruptWatcher();
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

 private:
  std::thread thread_;
};

// While alive, a signal never ends the process abruptly.
class CriticalSection {
 public:
  CriticalSection();
  ~CriticalSection();
  CriticalSection(const CriticalSection&) = delete;
  CriticalSection& operator=(const CriticalSection&) = delete;
};

}  // namespace imeval
