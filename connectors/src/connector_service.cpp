#include "aqueduct/connectors/connector_service.hpp"

#include "aqueduct/types/convert.hpp"

namespace aq::connectors {

namespace msg = aqueduct::msg;

namespace {
std::string book_topic(const Instrument& inst) {
  return std::string(bus::topic::kBookPrefix) + inst.venue + "." + inst.symbol;
}

void add_levels(const Instrument& inst, const std::vector<Level>& levels, size_t max,
                google::protobuf::RepeatedPtrField<msg::BookLevel>* out) {
  for (size_t i = 0; i < levels.size() && i < max; ++i) {
    auto* l = out->Add();
    to_proto(inst.price(levels[i].price), l->mutable_price());
    to_proto(inst.qty(levels[i].qty), l->mutable_qty());
  }
}
}  // namespace

ConnectorService::ConnectorService(boost::asio::io_context& io, zmq::context_t& zmq,
                                   const std::string& pub_endpoint, ConnectorOptions options)
    : io_(io),
      options_(std::move(options)),
      pub_(zmq, pub_endpoint, "connectors"),
      checkpoint_timer_(io) {}

void ConnectorService::start() {
  for (auto& f : feeds_) f->start();
  checkpoint();
}

void ConnectorService::stop() {
  *alive_ = false;
  checkpoint_timer_.cancel();
  for (auto& f : feeds_) f->stop();
}

void ConnectorService::on_book_snapshot(const Instrument& inst, const L2Book& book, uint64_t seq,
                                        int64_t exchange_ts_ns, int64_t local_ts_ns) {
  bus::Envelope env;
  auto* s = env.mutable_book_snapshot();
  s->set_venue(inst.venue);
  s->set_symbol(inst.symbol);
  s->set_venue_seq(seq);
  s->set_exchange_ts_ns(exchange_ts_ns);
  s->set_local_ts_ns(local_ts_ns);
  auto depth = static_cast<size_t>(options_.checkpoint_depth);
  add_levels(inst, book.bids(), depth, s->mutable_bids());
  add_levels(inst, book.asks(), depth, s->mutable_asks());
  pub_.publish(book_topic(inst), env);
}

void ConnectorService::on_book_delta(const Instrument& inst, const BookChange& c) {
  bus::Envelope env;
  auto* d = env.mutable_book_delta();
  d->set_venue(inst.venue);
  d->set_symbol(inst.symbol);
  d->set_prev_venue_seq(c.prev_seq);
  d->set_venue_seq(c.seq);
  d->set_exchange_ts_ns(c.exchange_ts_ns);
  d->set_local_ts_ns(c.local_ts_ns);
  add_levels(inst, *c.bids, c.bids->size(), d->mutable_bids());
  add_levels(inst, *c.asks, c.asks->size(), d->mutable_asks());
  pub_.publish(book_topic(inst), env);
}

void ConnectorService::on_book_state(const Instrument& inst, msg::BookState state,
                                     const std::string& reason) {
  bus::Envelope env;
  auto* s = env.mutable_venue_status();
  s->set_venue(inst.venue);
  s->set_symbol(inst.symbol);
  s->set_state(state);
  s->set_reason(reason);
  pub_.publish(std::string(bus::topic::kStatusPrefix) + inst.venue, env);
}

void ConnectorService::on_perp_stats(const Instrument& inst, const PerpStats& st) {
  std::string suffix = inst.venue + "." + inst.symbol;
  if (st.mark || st.index) {
    bus::Envelope env;
    auto* m = env.mutable_mark();
    m->set_venue(inst.venue);
    m->set_symbol(inst.symbol);
    if (st.mark) to_proto(*st.mark, m->mutable_mark());
    if (st.index) to_proto(*st.index, m->mutable_index());
    m->set_exchange_ts_ns(st.exchange_ts_ns);
    pub_.publish(std::string(bus::topic::kMarkPrefix) + suffix, env);
  }
  if (st.funding_rate) {
    bus::Envelope env;
    auto* f = env.mutable_funding();
    f->set_venue(inst.venue);
    f->set_symbol(inst.symbol);
    to_proto(*st.funding_rate, f->mutable_rate());
    f->set_next_funding_ts_ns(st.next_funding_ts_ns);
    f->set_exchange_ts_ns(st.exchange_ts_ns);
    pub_.publish(std::string(bus::topic::kFundingPrefix) + suffix, env);
  }
}

void ConnectorService::on_top_of_book(const Instrument& inst, const TopOfBook& top) {
  if (!top.sane()) return;
  bus::Envelope env;
  auto* t = env.mutable_top();
  t->set_venue(inst.venue);
  t->set_symbol(inst.symbol);
  to_proto(inst.price(top.bid.price), t->mutable_bid()->mutable_price());
  to_proto(inst.qty(top.bid.qty), t->mutable_bid()->mutable_qty());
  to_proto(inst.price(top.ask.price), t->mutable_ask()->mutable_price());
  to_proto(inst.qty(top.ask.qty), t->mutable_ask()->mutable_qty());
  t->set_venue_seq(top.venue_seq);
  t->set_exchange_ts_ns(top.exchange_ts_ns);
  t->set_local_ts_ns(top.local_ts_ns);
  pub_.publish(std::string(bus::topic::kTopPrefix) + inst.venue + "." + inst.symbol, env);
}

void ConnectorService::checkpoint() {
  // A periodic full snapshot lets a subscriber that missed messages (slow joiner, gap) heal
  // without a request path, and doubles as the feed's heartbeat.
  int64_t now = wall_now_ns();
  for (const auto& f : feeds_)
    for (size_t i = 0; i < f->size(); ++i)
      if (f->state(i) == msg::BOOK_LIVE) on_book_snapshot(f->instrument(i), f->book(i), f->seq(i), 0, now);
  checkpoint_timer_.expires_after(options_.checkpoint_interval);
  checkpoint_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) checkpoint();
  });
}

}  // namespace aq::connectors
