#include "aqueduct/testing/taker_flow.hpp"

#include <boost/json.hpp>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/record/database.hpp"
#include "aqueduct/testing/wait.hpp"
#include "aqueduct/types/decimal.hpp"

namespace aq::testing {

int64_t decimal_units(const std::string& text, int scale) {
  if (text.empty()) return 0;
  return Decimal::parse_natural(text).value().rescaled(scale, Rounding::Exact).units;
}

void record_fill_directly(const std::string& db_url, const Listing& listing,
                          const std::string& fill_id, const std::string& client_id, Side taker_side,
                          int64_t price, int64_t qty) {
  rfq::RfqStore store(record::connect(db_url));
  rfq::IssuedQuote q;
  q.quote_id = "q_for_" + fill_id;
  q.client_id = client_id;
  q.listing = listing.name;
  q.side = taker_side;
  q.price = price;
  q.qty = qty;
  q.created_ns = wall_now_ns();
  q.expiry_ns = q.created_ns + 1'000'000'000;
  if (store.record_fill(
          {fill_id, q, q.qty, q.created_ns, "", rfq::Settlement::Native, 0, std::nullopt},
          rfq::make_quote_row(q, listing, "{}"), listing))
    throw std::runtime_error("fill " + fill_id + " was recorded before");
}

bool TakerFlow::fill(bool buy, int64_t qty) {
  std::string body = R"({"listing":")" + listing + R"(","side":")" + (buy ? "buy" : "sell") +
                     R"(","qty":")" + Decimal{qty, qty_scale}.to_string() + R"("})";
  Reply q;
  if (!wait_until(
          [&] {
            q = client.post("/v1/quote", body);
            return q.status == 200;
          },
          std::chrono::milliseconds(10'000)))
    return false;
  auto id = std::string(boost::json::parse(q.body).as_object()["quote_id"].as_string());
  if (client.post("/v1/accept", R"({"quote_id":")" + id + R"("})").status != 200) return false;
  ++fills;
  taker_net += buy ? qty : -qty;
  return true;
}

}  // namespace aq::testing
