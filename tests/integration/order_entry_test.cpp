// Order entry against the simulator over real sockets, for venues on the generic REST order
// path (OKX so far): fills, IOC expiry, refusals, and every way an order's outcome can be
// unknown (429, 503 after executing, an acknowledgement slower than our timeout), each
// settled by querying the order by its client id.
#include <doctest/doctest.h>

#include <future>

#include "aqueduct/connectors/okx/order_protocol.hpp"
#include "aqueduct/connectors/rest_order_entry.hpp"
#include "aqueduct/sim/faces.hpp"
#include "aqueduct/sim/stream_sim.hpp"
#include "aqueduct/testing/loop_thread.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace msg = aqueduct::msg;
using testing::LoopThread;

namespace {
Instrument okx_spot() {
  Instrument i;
  i.venue = "okx";
  i.symbol = "BTC-USDT";
  i.kind = InstrumentKind::Spot;
  i.price_scale = 1;
  i.qty_scale = 8;
  i.tick = 1;
  i.lot = 1;
  i.min_qty = 1000;
  return i;
}
}  // namespace

TEST_CASE("OKX order entry against the simulator: fills, expiry, refusals, and unknown outcomes reconciled") {
  LoopThread venue, client;
  connectors::VenueCredentials creds{"okx-key", "okx-secret", "okx-pass"};
  sim::SimInstrument si;
  si.instrument = okx_spot();
  si.start_mid = 300'000;  // 30000.0
  si.max_step_ticks = 0;
  si.book.level_step = 5;
  si.book.half_spread = 1;
  si.book.base_qty = 20'000'000;  // 0.2 BTC at the best level
  sim::StreamSimOptions o;
  o.instruments = {si};
  o.credentials = creds;
  auto sim = venue.call([&] {
    auto s = std::make_unique<sim::StreamSim>(venue.io, sim::make_okx_face(), o);
    s->start();
    return s;
  });
  auto inst = okx_spot();
  auto place = [&](connectors::VenueCredentials c, connectors::LimitIoc order) {
    std::promise<connectors::OrderOutcome> p;
    auto entry = client.call([&] {
      auto e = std::make_shared<connectors::RestOrderEntry>(client.io, std::make_unique<okx::OrderProtocol>(c), "127.0.0.1",
                                                            sim->port(), wall_clock(), 300ms);
      e->place_limit_ioc(order, inst, [&](connectors::OrderOutcome out) { p.set_value(out); });
      return e;
    });
    auto out = p.get_future().get();
    client.call([&] { entry.reset(); return 0; });
    return out;
  };

  // Acknowledged, then found filled, with its trades.
  auto filled = place(creds, {"BTC-USDT", Side::Buy, 1'000'000, 310'000, "h_0001"});  // 0.01 BTC, limit 31000
  CHECK(filled.status == msg::ORDER_FILLED);
  CHECK(filled.filled_qty == 1'000'000);
  REQUIRE_FALSE(filled.fills.empty());
  int64_t quote = 0;
  for (const auto& f : filled.fills) quote += f.price * f.qty;
  CHECK(filled.filled_quote == quote);
  CHECK_FALSE(filled.venue_order_id.empty());

  auto none = place(creds, {"BTC-USDT", Side::Buy, 1'000'000, 100'000, "h_0002"});  // far below the book
  CHECK(none.status == msg::ORDER_EXPIRED);
  CHECK(none.filled_qty == 0);

  auto bad_pass = place({"okx-key", "okx-secret", "wrong"}, {"BTC-USDT", Side::Buy, 1'000'000, 310'000, "h_0003"});
  CHECK(bad_pass.status == msg::ORDER_REJECTED);
  auto bad_sign = place({"okx-key", "nope", "okx-pass"}, {"BTC-USDT", Side::Buy, 1'000'000, 310'000, "h_0004"});
  CHECK(bad_sign.status == msg::ORDER_REJECTED);
  auto bad_size = place(creds, {"BTC-USDT", Side::Buy, 10, 310'000, "h_0005"});  // below minSz
  CHECK(bad_size.status == msg::ORDER_REJECTED);
  CHECK(bad_size.detail.find("sz") != std::string::npos);

  // The same client id again: never a second order; the first one's outcome.
  auto again = place(creds, {"BTC-USDT", Side::Buy, 1'000'000, 310'000, "h_0001"});
  CHECK(again.status == msg::ORDER_FILLED);
  CHECK(again.venue_order_id == filled.venue_order_id);

  auto before = sim->orders_received();
  sim->set_order_fault({sim::OrderFault::Kind::RateLimited, 1, 0ms});
  auto limited = place(creds, {"BTC-USDT", Side::Buy, 1'000'000, 310'000, "h_0006"});
  CHECK(limited.status == msg::ORDER_REJECTED);
  CHECK(limited.detail.find("never reached the venue") != std::string::npos);

  sim->set_order_fault({sim::OrderFault::Kind::UnavailableExecuted, 1, 0ms});
  auto unavailable = place(creds, {"BTC-USDT", Side::Sell, 1'000'000, 290'000, "h_0007"});
  CHECK(unavailable.status == msg::ORDER_FILLED);
  CHECK(unavailable.detail.find("reconciled") != std::string::npos);

  sim->set_order_fault({sim::OrderFault::Kind::SlowAck, 1, 1000ms});
  auto slow = place(creds, {"BTC-USDT", Side::Buy, 1'000'000, 310'000, "h_0008"});
  CHECK(slow.status == msg::ORDER_FILLED);
  CHECK(slow.detail.find("reconciled") != std::string::npos);

  sim->set_order_fault({sim::OrderFault::Kind::PartialFill, 1, 0ms});
  auto partial = place(creds, {"BTC-USDT", Side::Buy, 1'000'000, 310'000, "h_0009"});
  CHECK(partial.status == msg::ORDER_EXPIRED);
  CHECK(partial.filled_qty == 500'000);
  int64_t sum = 0;
  for (const auto& f : partial.fills) sum += f.qty;
  CHECK(sum == 500'000);
  CHECK(sim->orders_received() == before + 4);

  client.stop();
  venue.call([&] { sim->stop(); return 0; });
  venue.stop();
}
