#pragma once
// Signs off the event loop. A signature with its recovery self-check costs ~65 µs, as much as
// everything else a firm quote does; on worker threads it overlaps the loop's HTTP and pricer
// round trips instead of queueing behind them. The workers share one Signer (libsecp256k1
// signing contexts are safe for concurrent use once randomized); each result is handed back
// on the loop, in the order the work finishes. With no workers it signs inline.
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "aqueduct/eth/signer.hpp"

namespace aq::rfq {

class SigningPool {
 public:
  // The signature, or nothing with why it failed (never the key).
  using Done = std::function<void(std::optional<eth::Signature>, const std::string& error)>;

  SigningPool(boost::asio::io_context& io, const eth::Signer& signer, unsigned threads);
  ~SigningPool();  // waits for signatures in flight; their results are dropped
  void sign(const eth::Hash32& digest, Done done);
  const eth::Signer& signer() const { return signer_; }

 private:
  boost::asio::io_context& io_;
  const eth::Signer& signer_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::rfq
