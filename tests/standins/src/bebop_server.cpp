#include "aqueduct/standins/bebop_server.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "aqueduct/eth/signer.hpp"
#include "aqueduct/rfq/bebop/single_order.hpp"
#include "aqueduct/wire/bebop_pricing.pb.h"

namespace aq::standins {

namespace json = boost::json;

namespace {
std::string pair_key(const eth::Address& b, const eth::Address& q) {
  return b.to_hex() + "/" + q.to_hex();
}
int64_t mono_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

BebopServer::BebopServer(std::string api_key, eth::Address maker, eth::Address settlement,
                         std::string chain_slug)
    : auth_("Bearer " + std::move(api_key)),
      slug_(std::move(chain_slug)),
      maker_(maker),
      settlement_(settlement) {
  loop_.call([this] {
    ws_ = std::make_unique<WsListener>(
        loop_.io,
        [this](const net::HttpRequest& req) -> std::string {
          std::string target(req.target()), prefix = "/pmm/" + slug_ + "/v3/maker/";
          if (req["Authorization"] != auth_) return {};
          if (target == prefix + "pricing?format=protobuf") return "pricing";
          if (target == prefix + "quote") return "quote";
          if (target == prefix + "trades") return "trades";
          return {};
        },
        [this](const std::string& kind, std::shared_ptr<net::WsSession> s) {
          std::lock_guard l(m_);
          sessions_[kind].push_back(std::move(s));
          cv_.notify_all();
        },
        [this](const std::string& kind, const std::shared_ptr<net::WsSession>& session,
               std::string_view f) {
          if (!session->last_frame_binary()) {
            std::lock_guard l(m_);
            ++text_frames_;
          }
          if (kind == "pricing")
            on_pricing(f);
          else if (kind == "quote")
            on_quote(f);
        },
        [this] {
          std::lock_guard l(m_);
          ++rejected_;
        });
    port_ = ws_->port();
    return 0;
  });
}

BebopServer::~BebopServer() {
  loop_.call([this] {
    for (auto& [_, v] : sessions_)
      for (auto& s : v) s->close();
    ws_->stop();
    return 0;
  });
  loop_.stop();
}

int BebopServer::connections() const {
  std::lock_guard l(m_);
  int n = 0;
  for (const auto& [_, v] : sessions_)
    for (const auto& s : v) n += s->open();
  return n;
}

int BebopServer::rejected_handshakes() const {
  std::lock_guard l(m_);
  return rejected_;
}

int BebopServer::text_frames() const {
  std::lock_guard l(m_);
  return text_frames_;
}

int BebopServer::rule_violations() const {
  std::lock_guard l(m_);
  return static_cast<int>(violations_.size());
}

std::vector<std::string> BebopServer::violations() const {
  std::lock_guard l(m_);
  return violations_;
}

void BebopServer::on_pricing(std::string_view frame) {
  aqueduct::wire::bebop::BebopPricingUpdate u;
  std::lock_guard l(m_);
  if (!u.ParseFromArray(frame.data(), static_cast<int>(frame.size()))) {
    violations_.push_back("unparsable pricing frame");
    return;
  }
  int64_t now = mono_ms();
  if (last_update_ms_ && now - last_update_ms_ < 400)
    violations_.push_back("pricing update " + std::to_string(now - last_update_ms_) +
                          " ms after the previous");
  last_update_ms_ = now;
  for (const auto& p : u.pairs()) {
    if (p.base().size() != 20 || p.quote().size() != 20) {
      violations_.push_back("pair without 20-byte addresses");
      continue;
    }
    eth::Address b, q;
    std::copy(p.base().begin(), p.base().end(), b.bytes.begin());
    std::copy(p.quote().begin(), p.quote().end(), q.bytes.begin());
    auto read = [&](const auto& flat, const char* side) {
      std::vector<std::pair<float, float>> out;
      std::set<float> seen;
      if (flat.size() % 2) violations_.push_back(std::string(side) + ": odd number of floats");
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        if (!(flat[i] > 0) || !(flat[i + 1] > 0))
          violations_.push_back(std::string(side) + ": non-positive level");
        if (!seen.insert(flat[i]).second)
          violations_.push_back(std::string(side) + ": duplicate price");
        out.emplace_back(flat[i], flat[i + 1]);
      }
      return out;
    };
    BebopPairStream& s = streams_[pair_key(b, q)];
    s.bids = read(p.bids(), "bids");
    s.asks = read(p.asks(), "asks");
    ++s.updates;
    if (!s.bids.empty() && !s.asks.empty()) {
      if (s.bids[0].first >= s.asks[0].first) violations_.push_back("crossed: bid at or above ask");
      if ((s.asks[0].first - s.bids[0].first) / s.bids[0].first > 0.1f)
        violations_.push_back("spread over 1000 bps");
    }
  }
  cv_.notify_all();
}

void BebopServer::on_quote(std::string_view frame) {
  boost::system::error_code ec;
  auto v = json::parse(frame, ec);
  if (ec || !v.is_object() || !v.as_object().if_contains("msg")) return;
  const auto& m = v.at("msg").as_object();
  if (!m.if_contains("quote_id") || !m.at("quote_id").is_string()) return;
  std::lock_guard l(m_);
  answers_[std::string(m.at("quote_id").as_string())] = std::string(frame);
  cv_.notify_all();
}

void BebopServer::send_to(const std::string& kind, std::string text) {
  loop_.call([&] {
    std::lock_guard l(m_);
    for (auto& s : sessions_[kind])
      if (s->open()) s->send(text);
    return 0;
  });
}

std::optional<BebopPairStream> BebopServer::stream(const eth::Address& base,
                                                   const eth::Address& quote, int timeout_ms) {
  std::unique_lock l(m_);
  cv_.wait_for(l, std::chrono::milliseconds(timeout_ms),
               [&] { return streams_.count(pair_key(base, quote)) > 0; });
  auto it = streams_.find(pair_key(base, quote));
  if (it == streams_.end()) return std::nullopt;
  return it->second;
}

std::string BebopServer::request_frame(const BebopAsk& a) {
  json::object leg{{"taker_token", a.taker_token.to_hex()},
                   {"maker_token", a.maker_token.to_hex()}};
  leg["taker_amount"] = a.taker_amount ? json::value(*a.taker_amount) : json::value(nullptr);
  leg["maker_amount"] = a.maker_amount ? json::value(*a.maker_amount) : json::value(nullptr);
  json::object m{{"quote_id", a.quote_id},
                 {"order_type", "121"},
                 {"order_signing_type", "SingleOrder"},
                 {"taker_address", a.taker_address.to_hex()},
                 {"receiver", a.taker_address.to_hex()},
                 {"source", "standin"},
                 {"expiry", a.expiry},
                 {"partner_id", 0},
                 {"fee_usd", a.fee_usd},
                 {"maker_address", nullptr},
                 {"reference_price", nullptr},
                 {"quotes", json::array{leg}}};
  return json::serialize(json::object{{"chain_id", a.chain_id},
                                      {"msg_topic", "taker_quote"},
                                      {"msg_type", "request"},
                                      {"msg", m}});
}

std::optional<std::string> BebopServer::send_request(const std::string& quote_id,
                                                     std::string frame, int timeout_ms) {
  send_to("quote", std::move(frame));
  std::unique_lock l(m_);
  cv_.wait_for(l, std::chrono::milliseconds(timeout_ms),
               [&] { return answers_.count(quote_id) > 0; });
  if (!answers_.count(quote_id)) return std::nullopt;
  return answers_[quote_id];
}

BebopAnswer BebopServer::quote_raw(const std::string& quote_id, std::string frame,
                                   int timeout_ms) {
  auto raw = send_request(quote_id, std::move(frame), timeout_ms);
  BebopAnswer out;
  if (!raw) return out;
  out.received = true;
  out.raw = *raw;
  json::value v = json::parse(*raw);
  const auto& r = v.at("msg").as_object();
  if (v.at("msg_type").as_string() == "error") {
    out.error_type = std::string(r.at("error_type").as_string());
    out.error_message = std::string(r.at("error_msg").as_string());
  }
  return out;
}

BebopAnswer BebopServer::quote(const BebopAsk& a, int timeout_ms) {
  BebopAnswer out = quote_raw(a.quote_id, request_frame(a), timeout_ms);
  if (!out.received || !out.error_type.empty()) return out;
  json::value v = json::parse(out.raw);
  const auto& r = v.at("msg").as_object();
  const auto& leg_r = r.at("quotes").as_array().at(0).as_object();
  out.taker_amount = std::string(leg_r.at("taker_amount").as_string());
  out.maker_amount = std::string(leg_r.at("maker_amount").as_string());
  if ((a.taker_amount && out.taker_amount != *a.taker_amount) ||
      (a.maker_amount && out.maker_amount != *a.maker_amount))
    out.problem = "the given amount was not echoed";
  rfq::bebop::SingleOrder o;
  o.partner_id = 0;
  o.expiry = a.expiry;
  o.taker_address = a.taker_address;
  o.maker_address = maker_;
  o.maker_nonce = *UInt256::from_decimal(r.at("maker_nonce").as_string());
  o.taker_token = a.taker_token;
  o.maker_token = a.maker_token;
  o.taker_amount = *UInt256::from_decimal(out.taker_amount);
  o.maker_amount = *UInt256::from_decimal(out.maker_amount);
  o.receiver = a.taker_address;
  o.packed_commands = 0;
  auto digest = eth::eip712_digest(rfq::bebop::domain(a.chain_id, settlement_).separator(),
                                   rfq::bebop::struct_hash(o));
  auto sig = eth::Signature::parse_rsv(r.at("signature").as_string());
  auto who = sig ? eth::recover(digest, *sig) : std::nullopt;
  if (!who || *who != maker_) out.problem = "signature does not recover to the maker";
  if (r.at("sign_scheme").as_string() != "EIP712") out.problem = "sign_scheme is not EIP712";
  // Bias against the stream when the taker sold a given amount of the base.
  std::lock_guard l(m_);
  auto it = streams_.find(pair_key(a.taker_token, a.maker_token));
  if (a.taker_amount && it != streams_.end() && !it->second.bids.empty()) {
    double left = std::stod(*a.taker_amount) / std::pow(10.0, a.taker_decimals), expect = 0;
    for (auto [p, q] : it->second.bids) {
      double take = std::min(left, static_cast<double>(q));
      expect += take * p;
      left -= take;
    }
    double firm = std::stod(out.maker_amount) / std::pow(10.0, a.maker_decimals);
    if (left < 1e-12) out.bias_bps = (firm - expect) / expect * 10'000.0;
  }
  return out;
}

void BebopServer::trade(const std::string& quote_id, const std::string& status,
                        const std::string& filled_taker, const std::string& filled_maker) {
  json::object m{{"quote_id", quote_id},
                 {"status", status},
                 {"filled_taker_amount", filled_taker},
                 {"filled_maker_amount", filled_maker},
                 {"tx_hash", "0x" + std::string(64, 'b')}};
  send_to("trades",
          json::serialize(json::object{
              {"chain_id", 1}, {"msg_topic", "trades"}, {"msg_type", "update"}, {"msg", m}}));
}

}  // namespace aq::standins
