#include "aqueduct/app/cpu_isolation.hpp"

#include <dirent.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace aq::app {
namespace {

std::string list(const std::vector<int>& cpus) {
  std::string out;
  for (int c : cpus) out += (out.empty() ? "" : ",") + std::to_string(c);
  return out.empty() ? "none" : out;
}

cpu_set_t set_of(const std::vector<int>& cpus) {
  cpu_set_t s;
  CPU_ZERO(&s);
  for (int c : cpus) CPU_SET(static_cast<size_t>(c), &s);
  return s;
}

}  // namespace

std::vector<int> allowed_cpus() {
  cpu_set_t s;
  CPU_ZERO(&s);
  std::vector<int> out;
  if (::sched_getaffinity(0, sizeof s, &s) != 0) return out;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(static_cast<size_t>(c), &s)) out.push_back(c);
  return out;
}

void keep_cpu_for_one_thread(int cpu) {
  auto allowed = allowed_cpus();
  if (std::find(allowed.begin(), allowed.end(), cpu) == allowed.end())
    throw std::runtime_error("hedging.cpu: CPU " + std::to_string(cpu) +
                             " is not one this process may run on (allowed: " + list(allowed) +
                             ")");
  std::vector<int> rest;
  for (int c : allowed)
    if (c != cpu) rest.push_back(c);
  if (rest.empty())
    throw std::runtime_error("hedging.cpu: CPU " + std::to_string(cpu) +
                             " is the only one this process may run on; keeping it for hedging "
                             "needs at least one more (allowed: " +
                             list(allowed) + ")");
  cpu_set_t s = set_of(rest);
  // Threads started before now (the bus's I/O threads, a caller's own) move too; a thread that
  // exits between the listing and the call is simply gone.
  if (DIR* d = ::opendir("/proc/self/task")) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      auto tid = static_cast<pid_t>(std::atoi(e->d_name));
      if (tid > 0) (void)::sched_setaffinity(tid, sizeof s, &s);
    }
    ::closedir(d);
  }
  if (::sched_setaffinity(0, sizeof s, &s) != 0)
    throw std::runtime_error(std::string("hedging.cpu: could not move this thread off CPU ") +
                             std::to_string(cpu) + ": " + std::strerror(errno));
}

std::string pin_calling_thread(int cpu) {
  cpu_set_t s = set_of({cpu});
  if (::sched_setaffinity(0, sizeof s, &s) != 0) return std::strerror(errno);
  return {};
}

}  // namespace aq::app
