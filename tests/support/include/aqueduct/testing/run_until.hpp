#pragma once
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>

namespace aq::testing {

// Runs `io` in short slices until `done` holds or `limit` passes; returns whether it held.
// For tests whose sockets live on a loop this thread drives.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.run_for(std::chrono::milliseconds(5));
    io.restart();
  }
  return done();
}

}  // namespace aq::testing
