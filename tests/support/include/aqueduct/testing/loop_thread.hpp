#pragma once
// An io_context on its own thread; `call` runs a function there and waits for its result.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>

namespace aq::testing {

struct LoopThread {
  boost::asio::io_context io;
  std::thread t;
  LoopThread() {
    t = std::thread([this] {
      auto g = boost::asio::make_work_guard(io);
      io.run();
    });
  }
  ~LoopThread() { stop(); }
  LoopThread(const LoopThread&) = delete;
  LoopThread& operator=(const LoopThread&) = delete;
  void stop() {
    if (!t.joinable()) return;
    io.stop();
    t.join();
  }
  template <typename F>
  auto call(F f) {
    std::packaged_task<decltype(f())()> task(f);
    auto fut = task.get_future();
    boost::asio::post(io, [&] { task(); });
    return fut.get();
  }
};

}  // namespace aq::testing
