#include "aqueduct/rfq/signing_pool.hpp"

#include <pthread.h>

#include <boost/asio/post.hpp>

namespace aq::rfq {

SigningPool::SigningPool(boost::asio::io_context& io, const eth::Signer& signer, unsigned threads)
    : io_(io),
      signer_(signer),
      pool_(threads ? std::make_unique<boost::asio::thread_pool>(threads) : nullptr) {}

SigningPool::~SigningPool() {
  *alive_ = false;
  if (pool_) pool_->join();
}

void SigningPool::sign(const eth::Hash32& digest, Done done) {
  auto work = [this, digest]() -> std::pair<std::optional<eth::Signature>, std::string> {
    try {
      return {signer_.sign(digest), {}};
    } catch (const std::exception& e) {
      return {std::nullopt, e.what()};
    }
  };
  if (!pool_) {
    auto [sig, error] = work();
    return done(sig, error);
  }
  boost::asio::post(*pool_, [this, work, done = std::move(done), alive = alive_]() mutable {
    pthread_setname_np(pthread_self(), "aq-sign");
    auto result = work();
    boost::asio::post(io_, [done = std::move(done), result = std::move(result), alive] {
      if (*alive) done(result.first, result.second);
    });
  });
}

}  // namespace aq::rfq
