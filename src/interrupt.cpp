#include "imeval/interrupt.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace imeval {
namespace {

std::atomic<int> g_signal{0};
std::atomic<int> g_critical{0};
std::atomic<bool> g_watcher_done{false};

sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);  // used only to wake the watcher at shutdown
  return set;
}

void write_stderr(const char* text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

[[noreturn]] void exit_now(int sig) {
  write_stderr("imeval: error: interrupted; exiting without writing results\n");
  ::_exit(128 + sig);
}

// Leaves the process only outside critical sections, polling until then.
void exit_when_safe(int sig) {
  while (g_critical.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  exit_now(sig);
}

}  // namespace

bool interrupt_requested() { return g_signal.load(std::memory_order_relaxed) != 0; }
void request_interrupt() { g_signal = SIGINT; }
int interrupt_signal() { return g_signal.load(); }

InterruptWatcher::InterruptWatcher() {
  // Blocked here, inherited by every thread created later; only the watcher receives them.
  sigset_t set = watched_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  g_watcher_done = false;
  thread_ = std::thread([set] {
    int sig = 0;
    if (sigwait(&set, &sig) != 0 || sig == SIGUSR1) return;
    g_signal = sig;
    write_stderr(sig == SIGINT ? "imeval: warning: SIGINT received, stopping\n" : "imeval: warning: SIGTERM received, stopping\n");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
    while (!g_watcher_done.load() && std::chrono::steady_clock::now() < deadline) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM)) exit_when_safe(sig);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!g_watcher_done.load()) exit_when_safe(sig);
  });
}

InterruptWatcher::~InterruptWatcher() {
  g_watcher_done = true;
  pthread_kill(thread_.native_handle(), SIGUSR1);
  thread_.join();
}

CriticalSection::CriticalSection() { ++g_critical; }
CriticalSection::~CriticalSection() { --g_critical; }

}  // namespace imeval
