// hedging.cpu: one CPU kept for the hedging loop, every other thread of the process moved off it.
#include <doctest/doctest.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "aqueduct/app/cpu_isolation.hpp"

using namespace aq;

namespace {

std::vector<int> cpus_of(pthread_t t) {
  cpu_set_t s;
  CPU_ZERO(&s);
  std::vector<int> out;
  if (pthread_getaffinity_np(t, sizeof s, &s) != 0) return out;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(static_cast<size_t>(c), &s)) out.push_back(c);
  return out;
}

void allow_everywhere(pthread_t t, const std::vector<int>& cpus) {
  cpu_set_t s;
  CPU_ZERO(&s);
  for (int c : cpus) CPU_SET(static_cast<size_t>(c), &s);
  pthread_setaffinity_np(t, sizeof s, &s);
}

}  // namespace

TEST_CASE(
    "hedging.cpu: a CPU the process may not use, or its only one, is refused naming what is "
    "allowed") {
  auto allowed = app::allowed_cpus();
  REQUIRE_FALSE(allowed.empty());
  CHECK_THROWS_WITH_AS(
      app::keep_cpu_for_one_thread(1023),
      doctest::Contains("hedging.cpu: CPU 1023 is not one this process may run on (allowed: "),
      std::runtime_error);
  CHECK(app::allowed_cpus() == allowed);  // refused: nothing moved
  if (allowed.size() == 1)
    CHECK_THROWS_WITH_AS(app::keep_cpu_for_one_thread(allowed[0]),
                         doctest::Contains("needs at least one more"), std::runtime_error);
}

TEST_CASE(
    "hedging.cpu: threads running before, and started after, stay off the kept CPU; the pinned one "
    "is on it") {
  auto allowed = app::allowed_cpus();
  if (allowed.size() < 2) {
    MESSAGE("one CPU only: nothing to keep");
    return;
  }
  const int kept = allowed.back();
  std::atomic<bool> stop{false};
  std::thread before([&] {
    while (!stop) std::this_thread::yield();
  });
  app::keep_cpu_for_one_thread(kept);
  std::vector<int> rest(allowed.begin(), allowed.end() - 1);
  CHECK(cpus_of(before.native_handle()) == rest);
  CHECK(cpus_of(pthread_self()) == rest);
  std::vector<int> after_cpus, pinned_cpus;
  std::string pin_error = "not run";
  std::thread after([&] { after_cpus = cpus_of(pthread_self()); });
  std::thread pinned([&] {
    pin_error = app::pin_calling_thread(kept);
    pinned_cpus = cpus_of(pthread_self());
  });
  after.join();
  pinned.join();
  CHECK(after_cpus == rest);
  CHECK(pin_error.empty());
  CHECK(pinned_cpus == std::vector<int>{kept});
  stop = true;
  before.join();
  allow_everywhere(pthread_self(), allowed);  // the rest of this test binary runs as before
}
