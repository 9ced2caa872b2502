#pragma once
// Listens to bus topics on its own thread and records when each message arrived. Stops and
// joins in its destructor, so a failing assertion unwinds cleanly.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <mutex>
#include <thread>

#include "aqueduct/bus/bus.hpp"

namespace aq::testing {

class BusTap {
 public:
  using OnMessage = std::function<void(std::string_view topic, const bus::Envelope& env, int64_t mono_ns)>;

  BusTap(zmq::context_t& zmq, const std::string& endpoint, const std::string& prefix, OnMessage on)
      : sub_(io_, zmq, [this](std::string_view t, const bus::Envelope& e) {
          std::lock_guard l(mutex);
          on_(t, e, mono_now_ns());
        }),
        on_(std::move(on)) {
    sub_.connect(endpoint);
    sub_.subscribe(prefix);
    sub_.start();
    thread_ = std::thread([this] {
      auto guard = boost::asio::make_work_guard(io_);
      io_.run();
    });
  }
  ~BusTap() { stop(); }
  void stop() {
    if (!thread_.joinable()) return;
    io_.stop();
    thread_.join();
  }
  // Guards whatever the callback writes.
  std::mutex mutex;

 private:
  boost::asio::io_context io_;
  bus::Subscriber sub_;
  OnMessage on_;
  std::thread thread_;
};

}  // namespace aq::testing
