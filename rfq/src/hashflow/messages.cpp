#include "aqueduct/rfq/hashflow/messages.hpp"

#include <boost/json.hpp>

#include "aqueduct/types/convert.hpp"

namespace aq::rfq::hashflow {

namespace json = boost::json;
namespace msg = aqueduct::msg;

namespace {

const json::object* envelope(std::string_view frame, json::value& holder, std::string& why) {
  boost::system::error_code ec;
  holder = json::parse(frame, ec);
  if (ec || !holder.is_object()) {
    why = "not a JSON object";
    return nullptr;
  }
  auto* m = holder.as_object().if_contains("message");
  if (!m || !m->is_object()) {
    why = "no message object";
    return nullptr;
  }
  return &m->as_object();
}

std::optional<std::string> text(const json::object& o, const char* k, std::string& why) {
  auto* v = o.if_contains(k);
  if (!v || !v->is_string()) {
    why = std::string(k) + " missing or not a string";
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<Address> address(const json::object& o, const char* k, std::string& why) {
  auto t = text(o, k, why);
  if (!t) return std::nullopt;
  auto a = Address::parse(*t);
  if (!a) why = std::string(k) + " is not an address";
  return a;
}

std::optional<UInt256> amount(const json::object& o, const char* k, std::string& why) {
  auto* v = o.if_contains(k);
  if (!v) return std::nullopt;
  std::optional<UInt256> a;
  if (v->is_string()) a = UInt256::from_decimal(v->as_string());
  if (!a) why = std::string(k) + " is not a whole number of base units";
  return a;
}

std::optional<uint64_t> chain_id(const json::object& o, const char* k, std::string& why) {
  auto* v = o.if_contains(k);
  if (!v || !v->is_object()) {
    why = std::string(k) + " missing";
    return std::nullopt;
  }
  const auto& c = v->as_object();
  auto* type = c.if_contains("chainType");
  auto* id = c.if_contains("chainId");
  if (!type || !type->is_string() || type->as_string() != "evm" || !id || !id->is_number()) {
    why = std::string(k) + " must be {chainType: \"evm\", chainId}";
    return std::nullopt;
  }
  boost::system::error_code ec;
  auto n = id->to_number<uint64_t>(ec);
  if (ec) {
    why = std::string(k) + ".chainId is not a whole number";
    return std::nullopt;
  }
  return n;
}

json::object token_json(const Token& t, uint64_t chain) {
  return {{"chain", json::object{{"chainType", "evm"}, {"chainId", chain}}},
          {"address", t.address.to_hex()}};
}

// Incremental levels with level 0 = the minimum size.
template <class Levels>
json::array hashflow_levels(const Levels& inc, const Listing& l) {
  json::array out;
  if (inc.empty()) return out;
  int64_t min = l.min_qty;
  bool first = true;
  for (const auto& lv : inc) {
    int64_t q = units_at(lv.qty(), l.qty_scale);
    std::string p = from_proto(lv.price()).to_trimmed_string();
    if (first) {
      out.push_back(json::object{{"q", Decimal{min, l.qty_scale}.to_trimmed_string()}, {"p", p}});
      q -= min;
      first = false;
    }
    if (q > 0)
      out.push_back(json::object{{"q", Decimal{q, l.qty_scale}.to_trimmed_string()}, {"p", p}});
  }
  return out;
}

}  // namespace

std::string message_type(std::string_view frame) {
  boost::system::error_code ec;
  auto v = json::parse(frame, ec);
  if (ec || !v.is_object()) return {};
  auto* t = v.as_object().if_contains("messageType");
  return t && t->is_string() ? std::string(t->as_string()) : std::string();
}

std::optional<RfqT> parse_rfqt(std::string_view frame, std::string& why) {
  json::value holder;
  const auto* m = envelope(frame, holder, why);
  if (!m) return std::nullopt;
  RfqT r;
  auto id = text(*m, "rfqId", why);
  if (!id) return std::nullopt;
  auto txid = eth::parse_bytes32(*id);
  if (!txid) {
    why = "rfqId must be 0x + 64 hex digits";
    return std::nullopt;
  }
  r.rfq_id = eth::to_hex0x(*txid);
  r.txid = *txid;
  if (auto* s = m->if_contains("source"); s && s->is_string())
    r.source = std::string(s->as_string());
  auto* nonce = m->if_contains("nonce");
  if (!nonce || !nonce->is_number()) {
    why = "nonce missing or not a number";
    return std::nullopt;
  }
  boost::system::error_code ec;
  r.nonce = UInt256(nonce->to_number<uint64_t>(ec));
  if (ec) {
    why = "nonce is not a whole number";
    return std::nullopt;
  }
  auto bc = chain_id(*m, "baseChain", why);
  auto qc = chain_id(*m, "quoteChain", why);
  auto bt = address(*m, "baseToken", why);
  auto qt = address(*m, "quoteToken", why);
  auto tr = address(*m, "trader", why);
  auto et = address(*m, "effectiveTrader", why);
  if (!bc || !qc || !bt || !qt || !tr || !et) return std::nullopt;
  r.base_chain_id = *bc;
  r.quote_chain_id = *qc;
  r.base_token = *bt;
  r.quote_token = *qt;
  r.trader = *tr;
  r.effective_trader = *et;
  std::string amount_why;
  r.base_amount = amount(*m, "baseTokenAmount", amount_why);
  r.quote_amount = amount(*m, "quoteTokenAmount", amount_why);
  if (!amount_why.empty()) {
    why = amount_why;
    return std::nullopt;
  }
  if (r.base_amount.has_value() == r.quote_amount.has_value()) {
    why = "exactly one of baseTokenAmount and quoteTokenAmount is required";
    return std::nullopt;
  }
  if (auto* f = m->if_contains("feesBps")) {
    if (!f->is_number() || f->to_number<double>() < 0 || f->to_number<double>() > 1000) {
      why = "feesBps must be a number of basis points 0..1000";
      return std::nullopt;
    }
    r.fees_bps = static_cast<int>(f->to_number<double>());
  }
  return r;
}

std::optional<Trade> parse_trade(std::string_view frame, std::string& why) {
  json::value holder;
  const auto* m = envelope(frame, holder, why);
  if (!m) return std::nullopt;
  Trade t;
  auto id = text(*m, "tradeEventId", why);
  auto rfq = text(*m, "rfqId", why);
  auto status = text(*m, "tradeStatus", why);
  if (!id || !rfq || !status) return std::nullopt;
  auto txid = eth::parse_bytes32(*rfq);
  if (!txid) {
    why = "rfqId must be 0x + 64 hex digits";
    return std::nullopt;
  }
  t.trade_event_id = *id;
  t.rfq_id = eth::to_hex0x(*txid);
  t.confirmed = *status == "confirmed";
  if (!t.confirmed && *status != "canceled") {
    why = "tradeStatus must be confirmed or canceled";
    return std::nullopt;
  }
  auto b = amount(*m, "baseTokenAmount", why);
  auto q = amount(*m, "quoteTokenAmount", why);
  if (!b || !q) {
    if (why.empty()) why = "baseTokenAmount and quoteTokenAmount are required";
    return std::nullopt;
  }
  t.base_amount = *b;
  t.quote_amount = *q;
  if (auto* h = m->if_contains("transactionHash"); h && h->is_string())
    t.tx_hash = std::string(h->as_string());
  return t;
}

std::string price_levels_message(const Token& base, const Token& quote, uint64_t chain_id,
                                 const msg::IndicativeLevels& levels, const Listing& listing) {
  json::object m{{"baseToken", token_json(base, chain_id)},
                 {"quoteToken", token_json(quote, chain_id)},
                 {"buyLevels", hashflow_levels(levels.bid_increments(), listing)},
                 {"sellLevels", hashflow_levels(levels.ask_increments(), listing)}};
  return json::serialize(json::object{{"messageType", "priceLevels"}, {"message", std::move(m)}});
}

std::string rfqt_quote_message(const RfqTQuoteFields& q, const std::string& rfq_id,
                               const std::string& signature_rsv) {
  json::object m{{"rfqId", rfq_id},
                 {"quoteExpiry", q.quote_expiry},
                 {"baseToken", q.base_token.to_hex()},
                 {"quoteToken", q.quote_token.to_hex()},
                 {"baseTokenAmount", q.base_token_amount.to_decimal()},
                 {"quoteTokenAmount", q.quote_token_amount.to_decimal()},
                 {"pool", q.pool.to_hex()},
                 {"signature", signature_rsv}};
  if (!q.external_account.is_zero()) m["externalAccount"] = q.external_account.to_hex();
  return json::serialize(json::object{{"messageType", "rfqTQuote"}, {"message", std::move(m)}});
}

std::string trade_ack_message(const std::string& trade_event_id) {
  return json::serialize(json::object{{"messageType", "tradeAck"},
                                      {"message", json::object{{"tradeEventId", trade_event_id}}}});
}

}  // namespace aq::rfq::hashflow
