#pragma once
// Builds the market-data sessions for one configured venue: one Binance session per
// instrument (REST snapshot + diff stream), or one subscription-stream session per connection
// for OKX, Bybit (one per category), BitMEX and Coinbase; and a venue's order protocol.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "aqueduct/app/config.hpp"
#include "aqueduct/connectors/book_feed.hpp"
#include "aqueduct/connectors/book_listener.hpp"
#include "aqueduct/connectors/perp_listener.hpp"
#include "aqueduct/connectors/top_listener.hpp"

#include "aqueduct/connectors/order_protocol.hpp"
#include "aqueduct/connectors/stream_protocol.hpp"

namespace aq::app {

// The dispatcher of a subscription-stream venue (okx, bybit, bitmex, coinbase) for the given
// instruments; throws std::invalid_argument for other protocols.
std::unique_ptr<connectors::StreamProtocol> make_stream_protocol(const std::string& protocol,
                                                                 std::vector<Instrument> instruments);

// The REST order entry of a venue protocol (binance_spot, binance_usdm, okx, bybit, bitmex),
// signing with `creds`; nullptr for a venue whose order entry is not built (coinbase).
std::unique_ptr<connectors::OrderProtocol> make_order_protocol(const std::string& protocol,
                                                               connectors::VenueCredentials creds);

std::vector<std::unique_ptr<connectors::BookFeed>> make_feeds(boost::asio::io_context& io, const VenueConfig& venue,
                                                              const Universe& universe,
                                                              connectors::BookListener& listener,
                                                              connectors::PerpListener* perp_listener = nullptr,
                                                              connectors::TopListener* top_listener = nullptr);

}  // namespace aq::app
