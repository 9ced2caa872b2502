#include "aqueduct/chain/rpc_codec.hpp"

#include <boost/json.hpp>

namespace aq::chain {
namespace json = boost::json;
namespace {

const json::value* field(const json::object& o, const char* name, std::string& why,
                         const char* what) {
  const json::value* v = o.if_contains(name);
  if (!v) why = std::string(what) + " has no \"" + name + "\"";
  return v;
}

std::optional<eth::Hash32> hash_field(const json::object& o, const char* name, std::string& why,
                                      const char* what) {
  const json::value* v = field(o, name, why, what);
  if (!v) return std::nullopt;
  std::optional<eth::Hash32> h;
  if (v->is_string()) h = eth::parse_bytes32(v->as_string());
  if (!h) why = std::string(what) + " \"" + name + "\" must be 0x and 64 hex digits";
  return h;
}

std::optional<uint64_t> quantity_field(const json::object& o, const char* name, std::string& why,
                                       const char* what) {
  const json::value* v = field(o, name, why, what);
  if (!v) return std::nullopt;
  auto q = parse_quantity(*v, why);
  if (!q) why = std::string(what) + " \"" + name + "\": " + why;
  return q;
}

std::optional<json::value> parse_text(std::string_view text, std::string& why) {
  if (text.size() > kMaxRpcAnswerBytes) {
    why = "the node's answer is " + std::to_string(text.size()) + " bytes, above the " +
          std::to_string(kMaxRpcAnswerBytes) + " read";
    return std::nullopt;
  }
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    why = "the node's answer is not a JSON object" + (ec ? ": " + ec.message() : std::string());
    return std::nullopt;
  }
  return v;
}

}  // namespace

std::string rpc_request(uint64_t id, std::string_view method, const json::array& params) {
  json::object o{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
  return json::serialize(o);
}

std::optional<json::value> rpc_result(std::string_view text, uint64_t id, std::string& why) {
  auto v = parse_text(text, why);
  if (!v) return std::nullopt;
  const auto& o = v->as_object();
  const json::value* got = o.if_contains("id");
  bool same =
      got &&
      ((got->is_uint64() && got->as_uint64() == id) ||
       (got->is_int64() && got->as_int64() >= 0 && static_cast<uint64_t>(got->as_int64()) == id));
  if (!same) {
    why = "the node answered another request than id " + std::to_string(id);
    return std::nullopt;
  }
  if (const json::value* e = o.if_contains("error")) {
    std::string msg = e->is_object() && e->as_object().contains("message") &&
                              e->as_object().at("message").is_string()
                          ? std::string(e->as_object().at("message").as_string())
                          : json::serialize(*e);
    why = "the node refused the request: " + msg.substr(0, 300);
    return std::nullopt;
  }
  const json::value* r = o.if_contains("result");
  if (!r) {
    why = "the node's answer has neither result nor error";
    return std::nullopt;
  }
  return *r;
}

std::optional<Notification> rpc_notification(std::string_view text, std::string& why) {
  auto v = parse_text(text, why);
  if (!v) return std::nullopt;
  const auto& o = v->as_object();
  const json::value* m = o.if_contains("method");
  const json::value* p = o.if_contains("params");
  if (!m || !m->is_string() || m->as_string() != "eth_subscription" || !p || !p->is_object()) {
    why = "not an eth_subscription notification";
    return std::nullopt;
  }
  const json::value* s = p->as_object().if_contains("subscription");
  const json::value* r = p->as_object().if_contains("result");
  if (!s || !s->is_string() || !r) {
    why = "an eth_subscription notification needs params.subscription and params.result";
    return std::nullopt;
  }
  return Notification{std::string(s->as_string()), *r};
}

std::optional<uint64_t> parse_quantity(const json::value& v, std::string& why) {
  if (!v.is_string()) {
    why = "a quantity must be a 0x-prefixed hex string";
    return std::nullopt;
  }
  std::string_view s = v.as_string();
  if (s.size() < 3 || s[0] != '0' || s[1] != 'x' || (s.size() > 3 && s[2] == '0') ||
      s.size() > 18) {
    why = "a quantity must be 0x and 1 to 16 hex digits without leading zeros; got \"" +
          std::string(s.substr(0, 40)) + "\"";
    return std::nullopt;
  }
  uint64_t out = 0;
  for (char c : s.substr(2)) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) {
      why = "a quantity has a character that is not hex: \"" + std::string(s.substr(0, 40)) + "\"";
      return std::nullopt;
    }
    out = out << 4 | static_cast<uint64_t>(d);
  }
  return out;
}

std::string to_quantity(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[v & 15]);
    v >>= 4;
  } while (v != 0);
  return "0x" + out;
}

std::optional<BlockHeader> parse_block_header(const json::value& v, std::string& why) {
  if (!v.is_object()) {
    why = "a block header must be an object";
    return std::nullopt;
  }
  const auto& o = v.as_object();
  BlockHeader h;
  auto n = quantity_field(o, "number", why, "block header");
  auto hash = n ? hash_field(o, "hash", why, "block header") : std::nullopt;
  auto parent = hash ? hash_field(o, "parentHash", why, "block header") : std::nullopt;
  auto ts = parent ? quantity_field(o, "timestamp", why, "block header") : std::nullopt;
  if (!ts) return std::nullopt;
  h.number = *n;
  h.hash = *hash;
  h.parent_hash = *parent;
  h.timestamp = *ts;
  return h;
}

std::optional<Log> parse_log(const json::value& v, std::string& why) {
  if (!v.is_object()) {
    why = "a log must be an object";
    return std::nullopt;
  }
  const auto& o = v.as_object();
  Log l;
  const json::value* a = field(o, "address", why, "log");
  if (!a) return std::nullopt;
  auto addr =
      a->is_string() && a->as_string().size() == 42 ? eth::parse_hex(a->as_string()) : std::nullopt;
  if (!addr || addr->size() != 20) {
    why = "log \"address\" must be 0x and 40 hex digits";
    return std::nullopt;
  }
  std::copy(addr->begin(), addr->end(), l.address.bytes.begin());
  const json::value* t = field(o, "topics", why, "log");
  if (!t) return std::nullopt;
  if (!t->is_array() || t->as_array().size() > 4) {
    why = "log \"topics\" must be an array of at most 4 hashes";
    return std::nullopt;
  }
  for (const auto& tv : t->as_array()) {
    auto h = tv.is_string() ? eth::parse_bytes32(tv.as_string()) : std::nullopt;
    if (!h) {
      why = "log topic must be 0x and 64 hex digits";
      return std::nullopt;
    }
    l.topics.push_back(*h);
  }
  const json::value* d = field(o, "data", why, "log");
  if (!d) return std::nullopt;
  auto data = d->is_string() && d->as_string().starts_with("0x") ? eth::parse_hex(d->as_string())
                                                                 : std::nullopt;
  if (!data) {
    why = "log \"data\" must be 0x and an even number of hex digits";
    return std::nullopt;
  }
  l.data = std::move(*data);
  auto bn = quantity_field(o, "blockNumber", why, "log");
  auto bh = bn ? hash_field(o, "blockHash", why, "log") : std::nullopt;
  auto tx = bh ? hash_field(o, "transactionHash", why, "log") : std::nullopt;
  auto li = tx ? quantity_field(o, "logIndex", why, "log") : std::nullopt;
  if (!li) return std::nullopt;
  l.block_number = *bn;
  l.block_hash = *bh;
  l.tx_hash = *tx;
  l.log_index = *li;
  if (const json::value* r = o.if_contains("removed")) {
    if (!r->is_bool()) {
      why = "log \"removed\" must be true or false";
      return std::nullopt;
    }
    l.removed = r->as_bool();
  }
  return l;
}

std::optional<std::vector<Log>> parse_logs(const json::value& v, std::string& why) {
  if (!v.is_array()) {
    why = "logs must be an array";
    return std::nullopt;
  }
  std::vector<Log> out;
  out.reserve(v.as_array().size());
  for (const auto& e : v.as_array()) {
    auto l = parse_log(e, why);
    if (!l) return std::nullopt;
    out.push_back(std::move(*l));
  }
  return out;
}

std::optional<Receipt> parse_receipt(const json::value& v, std::string& why) {
  why.clear();
  if (v.is_null()) return std::nullopt;
  if (!v.is_object()) {
    why = "a receipt must be an object or null";
    return std::nullopt;
  }
  const auto& o = v.as_object();
  Receipt r;
  auto tx = hash_field(o, "transactionHash", why, "receipt");
  auto bn = tx ? quantity_field(o, "blockNumber", why, "receipt") : std::nullopt;
  auto bh = bn ? hash_field(o, "blockHash", why, "receipt") : std::nullopt;
  auto st = bh ? quantity_field(o, "status", why, "receipt") : std::nullopt;
  if (!st) return std::nullopt;
  if (*st > 1) {
    why = "receipt \"status\" must be 0x0 or 0x1";
    return std::nullopt;
  }
  const json::value* logs = field(o, "logs", why, "receipt");
  if (!logs) return std::nullopt;
  auto parsed = parse_logs(*logs, why);
  if (!parsed) return std::nullopt;
  r.tx_hash = *tx;
  r.block_number = *bn;
  r.block_hash = *bh;
  r.success = *st == 1;
  r.logs = std::move(*parsed);
  return r;
}

json::array get_logs_params(const std::vector<eth::Address>& addresses,
                            const std::vector<eth::Hash32>& topics0, uint64_t from, uint64_t to) {
  json::array addrs, t0;
  for (const auto& a : addresses) addrs.push_back(json::string(a.to_hex()));
  for (const auto& t : topics0) t0.push_back(json::string(eth::to_hex0x(t)));
  json::object filter{{"fromBlock", to_quantity(from)},
                      {"toBlock", to_quantity(to)},
                      {"address", addrs},
                      {"topics", json::array{t0}}};
  return json::array{filter};
}

}  // namespace aq::chain
