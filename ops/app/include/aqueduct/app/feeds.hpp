#pragma once
// Builds the market-data sessions for one configured venue: one Binance session per
// instrument (REST snapshot + diff stream), or one subscription-stream session per connection
// for OKX, Bybit (one per category), BitMEX and Coinbase.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "aqueduct/app/config.hpp"
#include "aqueduct/connectors/book_feed.hpp"
#include "aqueduct/connectors/book_listener.hpp"

namespace aq::app {

std::vector<std::unique_ptr<connectors::BookFeed>> make_feeds(boost::asio::io_context& io, const VenueConfig& venue,
                                                              const Universe& universe,
                                                              connectors::BookListener& listener);

}  // namespace aq::app
