#include "aqueduct/rfq/chain/head_stream.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

namespace aq::rfq::chain {
namespace json = boost::json;
namespace codec = aq::chain;

namespace {
constexpr uint64_t kHeadsId = 1, kLogsId = 2;
}

HeadStream::HeadStream(boost::asio::io_context& io, const NodeEndpoint& ws, json::object log_filter,
                       int64_t idle_ms, Handlers handlers)
    : log_filter_(std::move(log_filter)),
      idle_ms_(idle_ms),
      h_(std::move(handlers)),
      socket_(io,
              MakerSocketOptions{"chain node (subscriptions)",
                                 ws.host,
                                 ws.port,
                                 ws.target,
                                 ws.tls,
                                 {},
                                 false,
                                 250,
                                 5'000},
              [this](std::string_view f) { on_frame(f); }),
      idle_(io) {
  socket_.set_on_open([this] { on_open(); });
}

HeadStream::~HeadStream() {
  *alive_ = false;
}

void HeadStream::start() {
  socket_.start();
  arm_idle();
}

void HeadStream::stop() {
  *alive_ = false;
  idle_.cancel();
  socket_.stop();
}

void HeadStream::on_open() {
  heads_sub_.clear();
  logs_sub_.clear();
  socket_.send(codec::rpc_request(kHeadsId, "eth_subscribe", json::array{"newHeads"}));
  socket_.send(codec::rpc_request(kLogsId, "eth_subscribe", json::array{"logs", log_filter_}));
  arm_idle();
}

void HeadStream::set_up(bool up, const std::string& why) {
  if (up == up_) return;
  up_ = up;
  if (h_.state) h_.state(up, why);
}

void HeadStream::on_frame(std::string_view text) {
  arm_idle();
  std::string why;
  if (auto n = codec::rpc_notification(text, why)) {
    if (n->subscription == heads_sub_) {
      auto hdr = codec::parse_block_header(n->result, why);
      if (!hdr) {
        ++malformed_;
        spdlog::warn("chain: a malformed head from the node is ignored: {}", why);
        return;
      }
      set_up(true, {});
      if (h_.head) h_.head(*hdr);
    } else if (n->subscription == logs_sub_) {
      auto lg = codec::parse_log(n->result, why);
      if (!lg) {
        ++malformed_;
        spdlog::warn("chain: a malformed log from the node is ignored: {}", why);
        return;
      }
      if (h_.log) h_.log(*lg);
    }
    return;  // a notification of a subscription of an earlier connection
  }
  for (uint64_t id : {kHeadsId, kLogsId}) {
    auto r = codec::rpc_result(text, id, why);
    if (r && r->is_string()) {
      (id == kHeadsId ? heads_sub_ : logs_sub_) = std::string(r->as_string());
      return;
    }
    if (!r && why.starts_with("the node refused")) {
      // Without subscriptions the watcher polls; try again after a reconnection.
      set_up(false, "eth_subscribe: " + why);
      socket_.reconnect("eth_subscribe refused");
      return;
    }
  }
  ++malformed_;
  spdlog::warn("chain: the node's subscription answer is not understood: {}", why);
}

void HeadStream::arm_idle() {
  idle_.expires_after(std::chrono::milliseconds(idle_ms_));
  idle_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive) return;
    set_up(false, "no head from the node for " + std::to_string(idle_ms_) + " ms");
    socket_.reconnect("no head for " + std::to_string(idle_ms_) + " ms");
    arm_idle();
  });
}

}  // namespace aq::rfq::chain
