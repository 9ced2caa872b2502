#include "aqueduct/rfq/bebop/messages.hpp"

#include <boost/json.hpp>
#include <cstdlib>

#include "aqueduct/types/convert.hpp"
#include "aqueduct/wire/bebop_pricing.pb.h"

namespace aq::rfq::bebop {

namespace json = boost::json;
namespace wire = aqueduct::wire::bebop;

namespace {

// Bebop's stream is float32 by protocol: the one place a price leaves as a float, and it is
// indicative only (the signed order carries exact integers).
float wire_float(const aqueduct::msg::Decimal& d) {
  return static_cast<float>(std::strtod(from_proto(d).to_string().c_str(), nullptr));
}

// Increments as float (price, size) pairs, best first, with equal float prices merged (two
// decimals can round to one float) and empty sizes dropped.
template <class Levels>
std::vector<std::pair<float, float>> levels_of(const Levels& inc) {
  std::vector<std::pair<float, float>> out;
  for (const auto& l : inc) {
    auto p = wire_float(l.price());
    auto q = wire_float(l.qty());
    if (!(p > 0) || !(q > 0)) continue;
    if (!out.empty() && out.back().first == p)
      out.back().second += q;
    else
      out.emplace_back(p, q);
  }
  return out;
}

std::optional<std::string> text(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<uint64_t> whole(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  if (!v) return std::nullopt;
  if (v->is_uint64()) return v->as_uint64();
  if (v->is_int64() && v->as_int64() >= 0) return static_cast<uint64_t>(v->as_int64());
  if (v->is_string()) {
    auto u = UInt256::from_decimal(v->as_string());
    if (u && !u->limb(1) && !u->limb(2) && !u->limb(3)) return u->limb(0);
  }
  return std::nullopt;
}

const json::object* body(std::string_view frame, json::value& holder, std::string& why,
                         const char* topic) {
  boost::system::error_code ec;
  holder = json::parse(frame, ec);
  if (ec || !holder.is_object()) {
    why = "not a JSON object";
    return nullptr;
  }
  auto t = text(holder.as_object(), "msg_topic");
  if (!t || *t != topic) {
    why = std::string("msg_topic is not ") + topic;
    return nullptr;
  }
  auto* m = holder.as_object().if_contains("msg");
  if (!m || !m->is_object()) {
    why = "no msg object";
    return nullptr;
  }
  return &m->as_object();
}

}  // namespace

std::string pricing_update(const std::vector<PairLevels>& pairs, uint64_t now_s) {
  wire::BebopPricingUpdate u;
  for (const auto& p : pairs) {
    auto* out = u.add_pairs();
    out->set_base(std::string(reinterpret_cast<const char*>(p.base->address.bytes.data()), 20));
    out->set_quote(std::string(reinterpret_cast<const char*>(p.quote->address.bytes.data()), 20));
    out->set_last_update_ts(now_s);
    auto bids = levels_of(p.levels.bid_increments());
    auto asks = levels_of(p.levels.ask_increments());
    bool crossed = !bids.empty() && !asks.empty() && bids.front().first >= asks.front().first;
    bool too_wide = !bids.empty() && !asks.empty() &&
                    (asks.front().first - bids.front().first) / bids.front().first > 0.1f;
    if (crossed || too_wide) continue;  // both sides empty: the pair is withdrawn
    for (auto [price, size] : bids) {
      out->add_bids(price);
      out->add_bids(size);
    }
    for (auto [price, size] : asks) {
      out->add_asks(price);
      out->add_asks(size);
    }
  }
  return u.SerializeAsString();
}

std::optional<QuoteRequest> parse_quote_request(std::string_view frame, std::string& why) {
  json::value holder;
  const auto* m = body(frame, holder, why, "taker_quote");
  if (!m) return std::nullopt;
  QuoteRequest r;
  auto chain = whole(holder.as_object(), "chain_id");
  auto id = text(*m, "quote_id");
  if (!chain || !id || id->empty() || id->size() > 128) {
    why = "chain_id and quote_id are required";
    return std::nullopt;
  }
  r.chain_id = *chain;
  r.quote_id = *id;
  auto order_type = text(*m, "order_type");
  if (!order_type || *order_type != "121") {
    why = "only one-to-one (121) orders are quoted";
    return std::nullopt;
  }
  auto addr = [&](const json::object& o, const char* k, Address& out) {
    auto t = text(o, k);
    auto a = t ? Address::parse(*t) : std::nullopt;
    if (!a)
      why = std::string(k) + " is missing or not an address";
    else
      out = *a;
    return a.has_value();
  };
  if (!addr(*m, "taker_address", r.taker_address) || !addr(*m, "receiver", r.receiver))
    return std::nullopt;
  r.source = text(*m, "source").value_or("");
  auto expiry = whole(*m, "expiry");
  if (!expiry) {
    why = "expiry (unix seconds) is required";
    return std::nullopt;
  }
  r.expiry = *expiry;
  r.partner_id = whole(*m, "partner_id").value_or(0);
  auto* quotes = m->if_contains("quotes");
  if (!quotes || !quotes->is_array() || quotes->as_array().size() != 1 ||
      !quotes->as_array()[0].is_object()) {
    why = "quotes must hold exactly one leg";
    return std::nullopt;
  }
  const auto& leg = quotes->as_array()[0].as_object();
  if (!addr(leg, "taker_token", r.taker_token) || !addr(leg, "maker_token", r.maker_token))
    return std::nullopt;
  auto amount = [&](const char* k) -> std::optional<UInt256> {
    auto t = text(leg, k);
    if (!t) return std::nullopt;
    auto v = UInt256::from_decimal(*t);
    if (!v || v->is_zero())
      why = std::string(k) + " must be a whole number of base units above zero";
    return v && !v->is_zero() ? v : std::nullopt;
  };
  r.taker_amount = amount("taker_amount");
  r.maker_amount = amount("maker_amount");
  if (!why.empty()) return std::nullopt;
  if (r.taker_amount.has_value() == r.maker_amount.has_value()) {
    why = "exactly one of taker_amount and maker_amount is given (the other is null)";
    return std::nullopt;
  }
  if (auto fee = text(*m, "fee_usd")) {
    ParseError pe{};
    r.fee_usd = Decimal::parse(*fee, 6, &pe);
    if (!r.fee_usd || r.fee_usd->units < 0) {
      why = "fee_usd must be a non-negative decimal with at most 6 decimals";
      return std::nullopt;
    }
  }
  return r;
}

std::string quote_id_of(std::string_view frame) {
  boost::system::error_code ec;
  auto v = json::parse(frame, ec);
  if (ec || !v.is_object()) return {};
  auto* m = v.as_object().if_contains("msg");
  if (!m || !m->is_object()) return {};
  auto id = text(m->as_object(), "quote_id");
  return id && id->size() <= 128 ? *id : std::string();
}

std::string quote_response(const QuoteRequest& r, const SingleOrder& o,
                           const std::string& signature_rsv) {
  json::object leg{{"taker_token", o.taker_token.to_hex()},
                   {"maker_token", o.maker_token.to_hex()},
                   {"taker_amount", o.taker_amount.to_decimal()},
                   {"maker_amount", o.maker_amount.to_decimal()}};
  json::object m{{"quote_id", r.quote_id},
                 {"maker_address", o.maker_address.to_hex()},
                 {"maker_nonce", o.maker_nonce.to_decimal()},
                 {"expiry", o.expiry},
                 {"partner_id", o.partner_id},
                 {"taker_address", o.taker_address.to_hex()},
                 {"receiver", o.receiver.to_hex()},
                 {"packed_commands", o.packed_commands.to_decimal()},
                 {"quotes", json::array{leg}},
                 {"signature", signature_rsv},
                 {"sign_scheme", "EIP712"}};
  return json::serialize(json::object{{"chain_id", r.chain_id},
                                      {"msg_topic", "taker_quote"},
                                      {"msg_type", "response"},
                                      {"msg", m}});
}

std::string quote_error(uint64_t chain_id, const std::string& quote_id,
                        const std::string& error_type, const std::string& message) {
  return json::serialize(json::object{
      {"chain_id", chain_id},
      {"msg_topic", "taker_quote"},
      {"msg_type", "error"},
      {"msg",
       json::object{{"quote_id", quote_id}, {"error_type", error_type}, {"error_msg", message}}}});
}

std::optional<TradeUpdate> parse_trade(std::string_view frame, std::string& why) {
  json::value holder;
  const auto* m = body(frame, holder, why, "trades");
  if (!m) return std::nullopt;
  TradeUpdate t;
  auto id = text(*m, "quote_id");
  auto status = text(*m, "status");
  if (!id || !status) {
    why = "quote_id and status are required";
    return std::nullopt;
  }
  t.quote_id = *id;
  t.status = *status;
  auto ft = text(*m, "filled_taker_amount");
  auto fm = text(*m, "filled_maker_amount");
  auto a = ft ? UInt256::from_decimal(*ft) : std::nullopt;
  auto b = fm ? UInt256::from_decimal(*fm) : std::nullopt;
  if (t.settled() && (!a || !b)) {
    why = "a settled trade needs filled_taker_amount and filled_maker_amount";
    return std::nullopt;
  }
  if (a) t.filled_taker_amount = *a;
  if (b) t.filled_maker_amount = *b;
  t.tx_hash = text(*m, "tx_hash").value_or("");
  return t;
}

}  // namespace aq::rfq::bebop
