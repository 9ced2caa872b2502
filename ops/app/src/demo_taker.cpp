#include "aqueduct/app/demo_taker.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "aqueduct/types/convert.hpp"

namespace aq::app {

namespace json = boost::json;
namespace http = boost::beast::http;
namespace msg = aqueduct::msg;

DemoTaker::DemoTaker(boost::asio::io_context& io, zmq::context_t& zmq, const AppConfig& config,
                     uint16_t rfq_port, rfq::NativeCredentials credentials, std::chrono::milliseconds interval,
                     Print print)
    : io_(io),
      config_(config),
      credentials_(std::move(credentials)),
      interval_(interval),
      print_(std::move(print)),
      http_(io, config.rfq_listen == "0.0.0.0" ? "127.0.0.1" : config.rfq_listen, rfq_port),
      tape_(io, zmq, [this](std::string_view t, const bus::Envelope& e) { on_tape(t, e); }),
      timer_(io) {
  tape_.connect(config.endpoints.rfq_pub);
  tape_.connect(config.endpoints.hedging_pub);
  tape_.connect(config.endpoints.router_pub);
  tape_.subscribe(bus::topic::kFill);
  tape_.subscribe(bus::topic::kHedgeOrder);
  tape_.subscribe(bus::topic::kPosition);
  tape_.subscribe(bus::topic::kExecution);
  tape_.subscribe(bus::topic::kPnl);
}

void DemoTaker::start() {
  tape_.start();
  timer_.expires_after(interval_);
  timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) tick();
  });
}

void DemoTaker::stop() {
  *alive_ = false;
  timer_.cancel();
}

void DemoTaker::tick() {
  const auto& listings = config_.universe.listings;
  const Listing& l = listings[n_++ % listings.size()];
  std::uniform_int_distribution<int64_t> size(l.min_qty * 10, l.min_qty * 100);
  std::string side = (rng_() & 1) ? "buy" : "sell";
  std::string qty = Decimal{size(rng_), l.qty_scale}.to_string();
  json::object req{{"listing", l.name}, {"side", side}, {"qty", qty}};
  int64_t sent = mono_now_ns();
  std::string body = json::serialize(req);
  http_.request(http::verb::post, "/v1/quote", body, signed_headers("/v1/quote", body),
                [this, sent, alive = alive_](net::HttpResult r) {
    if (!*alive) return;
    if (!r.ok()) {
      print_(fmt::format("[quote]    refused: {}", r.error ? r.error.message() : r.body));
      return;
    }
    auto q = json::parse(r.body).as_object();
    const auto& b = q["breakdown"].as_object();
    std::string id(q["quote_id"].as_string());
    print_(fmt::format("[quote]    {} {} taker {} {} @ {}  ({:.0f} us)", id, q["listing"].as_string().c_str(),
                       q["side"].as_string().c_str(), q["qty"].as_string().c_str(), q["price"].as_string().c_str(),
                       static_cast<double>(mono_now_ns() - sent) / 1e3));
    print_(breakdown_lines(q["side"].as_string() == "buy", b));
    int64_t accept_sent = mono_now_ns();
    std::string accept = json::serialize(json::object{{"quote_id", id}});
    http_.request(http::verb::post, "/v1/accept", accept, signed_headers("/v1/accept", accept),
                  [this, accept_sent, alive](net::HttpResult a) {
      if (!*alive) return;
      if (!a.ok()) {
        print_(fmt::format("[fill]     refused: {}", a.error ? a.error.message() : a.body));
        return;
      }
      auto f = json::parse(a.body).as_object();
      ++fills_;
      print_(fmt::format("[accept]   {} {} {} {} @ {}  (durable before this reply; {:.0f} us)", f["fill_id"].as_string().c_str(),
                         f["listing"].as_string().c_str(), f["side"].as_string().c_str(),
                         f["qty"].as_string().c_str(), f["price"].as_string().c_str(),
                         static_cast<double>(mono_now_ns() - accept_sent) / 1e3));
    });
  });
  timer_.expires_after(interval_);
  timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) tick();
  });
}

std::vector<std::pair<std::string, std::string>> DemoTaker::signed_headers(
    const std::string& target, const std::string& body) const {
  auto h = rfq::native_auth_headers(credentials_, "POST", target, body, wall_clock()() / 1'000'000);
  h.emplace_back("Content-Type", "application/json");
  return h;
}

void DemoTaker::on_tape(std::string_view, const bus::Envelope& env) {
  if (env.has_fill()) {
    const auto& f = env.fill();
    print_(fmt::format("[fill]     {} via {}: {} taker {} {} @ {}", f.fill_id(), f.client_id(), f.listing(),
                       f.taker_side() == msg::SIDE_BUY ? "buy" : "sell", from_proto(f.qty()).to_trimmed_string(),
                       from_proto(f.price()).to_trimmed_string()));
  } else if (env.has_hedge_order()) {
    const auto& o = env.hedge_order();
    print_(fmt::format("[hedge]    {} {} {} {}:{} limit {}", o.hedge_id(),
                       o.side() == msg::SIDE_BUY ? "buy" : "sell", from_proto(o.qty()).to_string(),
                       o.venue(), o.symbol(), from_proto(o.limit_price()).to_string()));
    // The reason reads "<intent> | <leg and its cost terms>; <venue passed over: why>; ...".
    const std::string& r = o.reason();
    auto bar = r.find(" | ");
    print_("             why:  " + r.substr(0, bar));
    if (bar != std::string::npos) {
      std::string rest = r.substr(bar + 3);
      size_t at = 0;
      for (bool first = true; at <= rest.size(); first = false) {
        auto semi = rest.find("; ", at);
        std::string part = rest.substr(at, semi == std::string::npos ? std::string::npos : semi - at);
        print_((first ? "             cost: " : "             not:  ") + part);
        if (semi == std::string::npos) break;
        at = semi + 2;
      }
    }
  } else if (env.has_execution()) {
    const auto& e = env.execution();
    print_(fmt::format("[exec]     {} {} {} @ {}{}", e.hedge_id(), msg::OrderStatus_Name(e.status()),
                       from_proto(e.filled_qty()).to_string(), from_proto(e.avg_price()).to_trimmed_string(),
                       e.detail().empty() ? "" : "  (" + e.detail() + ")"));
  } else if (env.has_fill_pnl()) {
    // Exact texts at 16 places: shown to the cent's hundredth; the record keeps them whole.
    const auto& p = env.fill_pnl();
    auto usd = [](const std::string& exact) {
      auto d = Decimal::parse_natural(exact);
      return d ? d->rescaled(4, Rounding::HalfEven).to_string() : exact;
    };
    print_(fmt::format(
        "[pnl]      {} {}: spread {} + hedge slippage {} + fees {} + funding {} + revaluation {}{} "
        "= {} USD  ({} hedge trades; fair at fill {}, mark {})",
        p.fill_id(), p.asset(), usd(p.spread()), usd(p.hedge_slippage()), usd(p.fees()),
        usd(p.funding()), usd(p.revaluation()),
        // Only fills hedged on a quanto have a settle-coin part.
        p.quanto().empty() || Decimal::parse_natural(p.quanto()).value_or(Decimal{}).units == 0
            ? std::string()
            : " + quanto " + usd(p.quanto()),
        usd(p.total()), p.hedges(), from_proto(p.fair_at_fill()).to_trimmed_string(),
        from_proto(p.mark()).to_trimmed_string()));
  } else if (env.has_position()) {
    const auto& p = env.position();
    print_(fmt::format("[position] {} net {} pending {}  (after {})", p.asset(),
                       from_proto(p.net_qty()).to_trimmed_string(),
                       from_proto(p.pending_hedge_qty()).to_trimmed_string(), p.cause()));
  }
}

std::string breakdown_lines(bool ask, const json::object& b) {
  auto s = [&](const char* k) { return std::string(b.at(k).as_string().c_str()); };
  const char* d = ask ? "+" : "-";
  std::string venues;
  for (const auto& v : b.at("venues").as_array()) {
    const auto& o = v.as_object();
    venues += fmt::format("{}{} {} @ {}", venues.empty() ? "" : ", ", o.at("venue").as_string().c_str(),
                          o.at("qty").as_string().c_str(), o.at("vwap").as_string().c_str());
  }
  return fmt::format(
      "           fair {} | hedge vwap {} {} fee {} {} spread {} {} vol {} {} impact {} {} markup {} ({}) + skew {} + "
      "rounding {}\n           sigma {:.2f} bps/sqrt(s), {} live venues, oldest book {} ms; hedge from {}",
      s("fair_value"), s("hedge_vwap"), d, s("fee"), d, s("spread"), d, s("vol_spread"), d, s("impact_spread"), d,
      s("markup"), s("tier"), s("inventory_skew"), s("rounding"), b.at("sigma_bps").to_number<double>(),
      b.at("live_venues").as_int64(), b.at("book_age_ms").as_int64(), venues);
}

}  // namespace aq::app
