#include "aqueduct/sim/stream_sim.hpp"
#include "aqueduct/sim/funding_ledger.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <set>
#include <spdlog/spdlog.h>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/net/url.hpp"
#include "aqueduct/net/ws_session.hpp"
#include "aqueduct/sim/resting_orders.hpp"

namespace aq::sim {

namespace beast = boost::beast;

struct StreamSim::Market {
  SimInstrument spec;
  VenuePrice process;
  SimBook book;
  RestingOrders resting;   // post-only orders on this market
  L2Book before;           // the published book before the current tick's diff
  uint64_t seq = 1000;     // the venue's message sequence for this book
  bool gap = false, drop = false, duplicate = false, cross = false;
  bool silent = false, frozen = false;
  Level top_bid, top_ask;  // the best bid and offer last sent to top subscribers
  FundingLedger funding;   // perpetuals: settlements, for the venue's funding history

  Market(const SimInstrument& s, uint64_t seed, const PathLink& link)
      : spec(s),
        process(seed, s.start_mid, s.instrument.tick, s.max_step_ticks,
                s.asset.empty() ? s.instrument.base : s.asset, link),
        book(s.book, seed ^ 0x9e3779b97f4a7c15ULL) {
    book.refresh(process.mid());
    book.publish();
  }
};

struct StreamSim::Connection {
  std::shared_ptr<net::WsSession> ws;
  ConnectionState state;
  std::set<std::string> symbols;       // books
  std::set<std::string> perp_symbols;  // mark/index/funding
  std::set<std::string> top_symbols;   // best bid and offer
};

StreamSim::StreamSim(boost::asio::io_context& io, std::unique_ptr<StreamFace> face, StreamSimOptions options)
    : io_(io),
      face_(std::move(face)),
      options_(std::move(options)),
      server_(io, net::HttpServerOptions{options_.address, options_.port},
              [this](const net::HttpRequest& r, net::HttpServer::Respond cb) { on_http(r, std::move(cb)); }),
      timer_(io) {
  uint64_t seed = options_.seed;
  for (const auto& si : options_.instruments) {
    markets_[si.instrument.symbol] = std::make_unique<Market>(si, seed++, options_.path);
    published_[si.instrument.symbol] = markets_[si.instrument.symbol]->book.published();
  }
  server_.on_upgrade([this](beast::tcp_stream s, net::HttpRequest r) { on_upgrade(std::move(s), std::move(r)); });
}

StreamSim::~StreamSim() { *alive_ = false; }

void StreamSim::start() {
  server_.start();
  on_tick();
}

void StreamSim::stop() {
  *alive_ = false;
  timer_.cancel();
  server_.stop();
  for (auto& [_, c] : connections_) c->ws->close();
  connections_.clear();
}

StreamSim::Market* StreamSim::market(const std::string& symbol) {
  auto it = markets_.find(symbol);
  return it == markets_.end() ? nullptr : it->second.get();
}

void StreamSim::post_to(const std::string& symbol, std::function<void(Market&)> f) {
  boost::asio::post(io_, [this, symbol, f = std::move(f), alive = alive_] {
    if (!*alive) return;
    if (auto* m = market(symbol)) f(*m);
    else spdlog::warn("sim {}: no market {}", face_->venue_kind(), symbol);
  });
}

void StreamSim::inject_gap(const std::string& s) { post_to(s, [](Market& m) { m.gap = true; }); }
void StreamSim::drop_next(const std::string& s) { post_to(s, [](Market& m) { m.drop = true; }); }
void StreamSim::duplicate_next(const std::string& s) { post_to(s, [](Market& m) { m.duplicate = true; }); }
void StreamSim::cross_next(const std::string& s) { post_to(s, [](Market& m) { m.cross = true; }); }
void StreamSim::set_silent(const std::string& s, bool on) { post_to(s, [on](Market& m) { m.silent = on; }); }
void StreamSim::set_frozen(const std::string& s, bool on) { post_to(s, [on](Market& m) { m.frozen = on; }); }
void StreamSim::jump_bps(const std::string& s, int64_t bps) { post_to(s, [bps](Market& m) { m.process.jump_bps(bps); }); }

void StreamSim::disconnect_all() {
  boost::asio::post(io_, [this, alive = alive_] {
    if (!*alive) return;
    for (auto& [_, c] : connections_) c->ws->close();
    connections_.clear();
  });
}

L2Book StreamSim::published(const std::string& symbol) const {
  std::lock_guard lock(published_mutex_);
  auto it = published_.find(symbol);
  return it == published_.end() ? L2Book{} : it->second;
}

uint64_t StreamSim::subscribes(const std::string& symbol) const {
  std::lock_guard lock(published_mutex_);
  auto it = subscribes_.find(symbol);
  return it == subscribes_.end() ? 0 : it->second;
}

BookPush StreamSim::push_of(Market& m) const {
  BookPush p;
  p.instrument = &m.spec.instrument;
  p.book = &m.book.published();
  p.seq = m.seq;
  p.prev_seq = m.seq;
  p.ts_ms = wall_now_ns() / 1'000'000;
  return p;
}

TopPush StreamSim::top_of(Market& m, int64_t now_ms) const {
  TopPush t;
  t.instrument = &m.spec.instrument;
  const auto& b = m.book.published();
  if (!b.bids().empty()) t.bid = b.bids().front();
  if (!b.asks().empty()) t.ask = b.asks().front();
  t.seq = m.seq;
  t.ts_ms = now_ms;
  return t;
}

PerpPush StreamSim::perp_of(Market& m, int64_t now_ms) const {
  const auto& b = m.book.published();
  int64_t mid = b.bids().empty() || b.asks().empty() ? m.process.mid()
                                                      : (b.bids().front().price + b.asks().front().price) / 2;
  return perp_marks(m.spec.instrument, mid, now_ms, options_.funding_interval_ms);
}

void StreamSim::on_tick() {
  int64_t now_ms = wall_now_ns() / 1'000'000;
  std::erase_if(connections_, [](const auto& kv) { return !kv.second->ws->open(); });
  for (auto& [symbol, mp] : markets_) {
    Market& m = *mp;
    auto push = push_of(m);
    Diff diff;
    // Silence holds the changes back; they go out as one delta when it ends.
    if (!m.frozen && !m.silent) {
      m.before = m.book.published();
      m.book.refresh(m.process.step(now_ms));
      diff = m.book.publish();
    } else if (!m.frozen) {
      m.book.refresh(m.process.step(now_ms));
    }
    if (!m.frozen) fill_resting(m, now_ms);
    {
      std::lock_guard lock(published_mutex_);
      published_[symbol] = m.book.published();
    }
    std::vector<Connection*> subs;
    for (auto& [_, c] : connections_)
      if (c->symbols.count(symbol)) subs.push_back(c.get());
    if (m.silent) continue;
    if (diff.empty()) {
      for (auto* c : subs)
        if (auto text = face_->idle(push, c->state)) c->ws->send(std::move(*text));
      continue;
    }
    push.before = &m.before;
    push.prev_seq = m.seq;
    if (m.gap && !face_->gap_by_phantom_row()) push.prev_seq += 5;  // ids the client never saw
    if (m.gap && face_->gap_by_phantom_row() && !m.before.bids().empty())
      push.phantom_bid = Level{m.before.bids().front().price - m.spec.instrument.tick, 1};
    push.seq = push.prev_seq + 1;
    push.lost_before = m.gap;
    m.seq = push.seq;
    m.gap = false;
    if (m.cross && !m.book.published().asks().empty()) {
      // A bid at the best ask: a book no venue should ever show.
      diff.bids.push_back(Level{m.book.published().asks().front().price, m.spec.book.base_qty});
      m.cross = false;
    }
    push.diff = &diff;
    bool lost = m.drop;  // written (so per-connection counters move on) but never sent
    m.drop = false;
    for (auto* c : subs) {
      auto texts = face_->delta(push, c->state);
      if (lost) continue;
      for (auto& text : texts) {
        auto shared = std::make_shared<const std::string>(std::move(text));
        c->ws->send(shared);
        if (m.duplicate) c->ws->send(shared);
      }
    }
    m.duplicate = false;
  }
  for (auto& [symbol, mp] : markets_) {
    // The best bid and offer goes out whenever it changed, as bbo-tbt and orderbook.1 do.
    auto& m = *mp;
    if (m.silent) continue;
    auto push = top_of(m, now_ms);
    if (push.bid.price == m.top_bid.price && push.bid.qty == m.top_bid.qty && push.ask.price == m.top_ask.price &&
        push.ask.qty == m.top_ask.qty)
      continue;
    m.top_bid = push.bid;
    m.top_ask = push.ask;
    for (auto& [_, c] : connections_)
      if (c->top_symbols.count(symbol))
        for (auto& text : face_->top(push, c->state)) c->ws->send(std::move(text));
  }
  for (auto& [_, c] : connections_)
    if (auto text = face_->connection_heartbeat(now_ms, c->state)) c->ws->send(std::move(*text));
  for (auto& [symbol, mp] : markets_) {
    // Settlements happen whether or not anyone is subscribed to the marks.
    if (mp->spec.instrument.kind == InstrumentKind::Spot) continue;
    auto push = perp_of(*mp, now_ms);
    mp->funding.on_announce(push.next_funding_ms, push.funding_rate, now_ms);
  }
  if (now_ms - last_perp_ms_ >= 1000) {
    last_perp_ms_ = now_ms;
    for (auto& [symbol, mp] : markets_) {
      if (mp->spec.instrument.kind == InstrumentKind::Spot || mp->silent) continue;
      auto push = perp_of(*mp, now_ms);
      for (auto& [_, c] : connections_)
        if (c->perp_symbols.count(symbol))
          for (auto& text : face_->perp_stats(push, c->state)) c->ws->send(std::move(text));
    }
  }
  timer_.expires_after(options_.tick);
  timer_.async_wait([this, alive = alive_](beast::error_code ec) {
    if (!ec && *alive) on_tick();
  });
}

void StreamSim::on_http(const net::HttpRequest& r, net::HttpServer::Respond cb) {
  auto t = net::split_target(r.target());
  if (auto answer = orders(r, cb)) return cb(std::move(*answer));
  if (!cb) return;  // answered later (a slow acknowledgement)
  std::vector<const Instrument*> insts;
  for (const auto& si : options_.instruments) insts.push_back(&si.instrument);
  auto funding = [this](std::string_view symbol, int64_t from_ms, int64_t to_ms,
                        size_t limit) -> std::optional<std::vector<connectors::FundingSettlement>> {
    Market* m = market(std::string(symbol));
    if (!m || m->spec.instrument.kind == InstrumentKind::Spot) return std::nullopt;
    return m->funding.settled(from_ms, to_ms, limit);
  };
  if (r.method() == beast::http::verb::get)
    if (auto answer = face_->funding_history(t.path, t.query, funding))
      return cb(std::move(*answer));
  if (r.method() == beast::http::verb::get)
    if (auto body = face_->rest(t.path, t.query, insts)) return cb(net::json_response(beast::http::status::ok, std::move(*body)));
  cb(net::json_response(beast::http::status::not_found,
                        R"({"error":"this simulated venue serves no REST path )" + std::string(t.path) + "\"}"));
}

void StreamSim::set_order_fault(OrderFault fault) {
  boost::asio::post(io_, [this, fault, alive = alive_] {
    if (!*alive) return;
    fault_ = fault;
    fault_left_ = fault.count;
  });
}

void StreamSim::fill_resting(Market& m, int64_t now_ms) {
  for (const auto& r : m.resting.reached(m.book)) {
    auto it = orders_by_client_.find(r.client_id);
    if (it == orders_by_client_.end()) continue;
    auto& o = it->second;
    o.fills.emplace_back(Execution{r.price, r.qty - o.filled}, std::to_string(++next_trade_id_));
    o.filled = r.qty;
    o.resting = false;
    o.ts_ms = now_ms;
  }
}

SimOrder& StreamSim::execute(Market& m, const OrderCall& call, int64_t max_fill_ppm) {
  const auto& inst = m.spec.instrument;
  int64_t executable = call.qty * max_fill_ppm / 1'000'000 / inst.lot * inst.lot;
  // Post-only: rests unless it would take, in which case the venue cancels it unfilled.
  std::vector<Execution> execs;
  bool rests = call.post_only && !RestingOrders::would_take(m.book, call.side, call.price);
  if (!call.post_only) execs = m.book.match_ioc(call.side, call.price, executable);
  if (rests) m.resting.add({call.client_id, call.side, call.price, call.qty});
  SimOrder o;
  o.post_only = call.post_only;
  o.resting = rests;
  o.venue_id = std::to_string(++next_order_id_);
  o.client_id = call.client_id;
  o.symbol = call.symbol;
  o.side = call.side;
  o.price = call.price;
  o.qty = call.qty;
  o.ts_ms = wall_now_ns() / 1'000'000;
  for (const auto& e : execs) {
    o.filled += e.qty;
    o.fills.emplace_back(e, std::to_string(++next_trade_id_));
  }
  client_by_venue_id_[o.venue_id] = o.client_id;
  return orders_by_client_[o.client_id] = std::move(o);
}

std::optional<connectors::MarginAccount> StreamSim::account_now() {
  if (!options_.account) return std::nullopt;
  std::vector<AccountFill> fills;
  for (const auto& [_, o] : orders_by_client_) {
    const Market* m = market(o.symbol);
    if (!m) continue;
    for (const auto& [e, id] : o.fills)
      fills.push_back({&m->spec.instrument, o.side, e.price, e.qty, o.post_only});
  }
  int64_t now_ms = wall_now_ns() / 1'000'000;
  return margin_account(*options_.account, fills,
                        [&](const Instrument& inst) -> std::optional<int64_t> {
                          Market* m = market(inst.symbol);
                          if (!m) return std::nullopt;
                          return perp_of(*m, now_ms).mark;
                        });
}

std::optional<net::HttpResponse> StreamSim::orders(const net::HttpRequest& req, net::HttpServer::Respond& respond) {
  auto lookup = [this](std::string_view symbol) -> const Instrument* {
    auto it = markets_.find(std::string(symbol));
    return it == markets_.end() ? nullptr : &it->second->spec.instrument;
  };
  auto call = face_->read_order_call(req, options_.credentials, wall_now_ns() / 1'000'000, lookup);
  if (call.kind == OrderCall::Kind::None) return std::nullopt;
  if (call.refusal) return std::move(*call.refusal);
  if (call.kind == OrderCall::Kind::Account) {
    auto a = account_now();
    return face_->account_answer(a ? &*a : nullptr);
  }
  if (call.kind == OrderCall::Kind::QueryOrder || call.kind == OrderCall::Kind::QueryFills ||
      call.kind == OrderCall::Kind::Cancel) {
    // Found by client id or venue id; the order names its market (BitMEX queries name none).
    SimOrder* o = nullptr;
    std::string client = call.client_id;
    if (client.empty())
      if (auto it = client_by_venue_id_.find(call.venue_id); it != client_by_venue_id_.end()) client = it->second;
    if (auto it = orders_by_client_.find(client); it != orders_by_client_.end()) o = &it->second;
    if (o && !call.symbol.empty() && o->symbol != call.symbol) o = nullptr;
    Market* qm = market(o ? o->symbol : call.symbol);
    Instrument inst = qm ? qm->spec.instrument : Instrument{};
    if (call.kind == OrderCall::Kind::Cancel) {
      bool now = o && o->resting && qm && qm->resting.remove(o->client_id);
      if (now) {
        o->resting = false;
        o->ts_ms = wall_now_ns() / 1'000'000;
      }
      return face_->cancel_answer(o, inst, now);
    }
    return call.kind == OrderCall::Kind::QueryOrder ? face_->order_state(o, inst) : face_->order_fills(o, inst);
  }
  Market* m = market(call.symbol);
  if (!m) return face_->order_state(nullptr, Instrument{});
  const auto& inst = m->spec.instrument;
  ++orders_;
  if (orders_by_client_.count(call.client_id)) return face_->order_ack(orders_by_client_[call.client_id], inst);
  if (fault_left_ > 0) {
    --fault_left_;
    switch (fault_.kind) {
      case OrderFault::Kind::RateLimited:
        return face_->rate_limited();
      case OrderFault::Kind::UnavailableExecuted: {
        execute(*m, call, 1'000'000);
        net::HttpResponse r{beast::http::status::service_unavailable, 11};
        r.set(beast::http::field::content_type, "text/plain");
        r.body() = "Service Unavailable";
        r.prepare_payload();
        return r;
      }
      case OrderFault::Kind::SlowAck: {
        auto reply = std::make_shared<net::HttpResponse>(face_->order_ack(execute(*m, call, 1'000'000), inst));
        auto timer = std::make_shared<boost::asio::steady_timer>(io_, fault_.delay);
        timer->async_wait([timer, reply, cb = std::move(respond), alive = alive_](beast::error_code ec) {
          if (!ec && *alive) cb(std::move(*reply));
        });
        respond = nullptr;
        return std::nullopt;
      }
      case OrderFault::Kind::PartialFill:
        return face_->order_ack(execute(*m, call, 500'000), inst);
    }
  }
  return face_->order_ack(execute(*m, call, 1'000'000), inst);
}

void StreamSim::on_upgrade(beast::tcp_stream stream, net::HttpRequest req) {
  auto path = std::string(net::split_target(req.target()).path);
  auto session = std::make_shared<net::WsSession>(std::move(stream));
  if (!face_->accepts_path(path)) {
    session->accept(std::move(req), [session](bool) { session->close(); });
    return;
  }
  session->accept(
      std::move(req),
      [this, session, alive = alive_](bool ok) {
        if (!ok || !*alive) return;
        auto c = std::make_unique<Connection>();
        c->ws = session;
        if (auto w = face_->welcome()) session->send(std::move(*w));
        connections_[session->id()] = std::move(c);
      },
      [this, alive = alive_](const std::shared_ptr<net::WsSession>& s, std::string_view text) {
        if (*alive) on_frame(s, text);
      });
}

void StreamSim::on_frame(const std::shared_ptr<net::WsSession>& s, std::string_view text) {
  auto it = connections_.find(s->id());
  if (it == connections_.end()) return;
  Connection& c = *it->second;
  auto req = face_->read_request(text, c.state);
  for (auto& r : req.replies) s->send(std::move(r));
  for (const auto& sub : req.subs) {
    Market* m = market(sub.symbol);
    if (!m) {
      s->send(face_->unknown_symbol(sub.symbol, c.state));
      continue;
    }
    auto& set = sub.top ? c.top_symbols : sub.perp ? c.perp_symbols : c.symbols;
    if (req.op == ClientRequest::Op::Unsubscribe) {
      set.erase(sub.symbol);
      continue;
    }
    if (req.op != ClientRequest::Op::Subscribe) continue;
    set.insert(sub.symbol);
    if (sub.top) {
      for (auto& msg : face_->top(top_of(*m, wall_now_ns() / 1'000'000), c.state)) s->send(std::move(msg));
      continue;
    }
    if (sub.perp) {
      // The current values at once, as venues send a partial or snapshot on subscribing.
      if (m->spec.instrument.kind != InstrumentKind::Spot)
        for (auto& msg : face_->perp_stats(perp_of(*m, wall_now_ns() / 1'000'000), c.state)) s->send(std::move(msg));
      continue;
    }
    {
      std::lock_guard lock(published_mutex_);
      ++subscribes_[sub.symbol];
    }
    for (auto& msg : face_->snapshot(push_of(*m), c.state)) s->send(std::move(msg));
  }
}

}  // namespace aq::sim
