#pragma once
// Time is injected: cores take `now` as an argument; shells get it from a Clock.
#include <chrono>
#include <cstdint>
#include <functional>

namespace aq {

// Nanoseconds since the Unix epoch.
using Nanos = int64_t;
using Clock = std::function<Nanos()>;

inline Nanos wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
inline Nanos mono_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
inline Clock wall_clock() { return &wall_now_ns; }

constexpr Nanos ms_to_ns(int64_t ms) { return ms * 1'000'000; }

}  // namespace aq
