#pragma once
// Child processes for the multi-process tests: start a command with its output in a log file,
// stop it (SIGTERM, then SIGKILL), wait for it, and environment and port helpers.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aq::testing {

struct Process {
  std::string name;
  pid_t pid = -1;
  std::string log;
};

// A free TCP port on 127.0.0.1 (free when asked; bind it soon).
uint16_t free_port();
// Starts `args` (argv[0] a path) with stdout and stderr in `dir`/`name`.log.
Process spawn(const std::string& name, const std::vector<std::string>& args,
              const std::string& dir);
std::string read_file(const std::string& path);
// SIGTERM, then wait up to 10 s; returns the exit status (or -1 if it had to be killed).
int stop(Process& p);
// Waits up to `timeout` for the process to end by itself; returns its exit status, -2 if it
// is still running (-1 if killed by a signal).
int wait_exit(Process& p, std::chrono::milliseconds timeout);
// Runs a command to its end (killed after `timeout`); returns its exit status and its output.
std::pair<int, std::string> run(const std::string& name, const std::vector<std::string>& args,
                                const std::string& dir,
                                std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Sets an environment variable for the processes a test starts; restores it on leaving.
struct ScopedEnv {
  std::string name;
  std::optional<std::string> old;
  ScopedEnv(std::string n, const std::string& value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
};

// Kills whatever is still running when the test leaves, even through a failed assertion.
struct ProcessGuard {
  std::vector<Process>& procs;
  ~ProcessGuard();
};

}  // namespace aq::testing
