#include "aqueduct/connectors/rest_order_entry.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>

namespace aq::connectors {

using aqueduct::msg::OrderStatus;

namespace {
// How often a resting post-only order is looked at while it works: its fills are reported at
// the end, so this only bounds how late a fully filled order is noticed.
constexpr std::chrono::milliseconds kWorkPoll{200};
}  // namespace

struct RestOrderEntry::Job {
  LimitOrder order;
  Instrument inst;
  Callback cb;
  int queries = 0;
  OrderOutcome outcome;  // what is known so far
  // A resting order: cancelled once the clock reaches this (INT64_MIN: at once when found
  // working); 0: left to end on its own (an IOC).
  int64_t cancel_at_ns = 0;
  int cancels = 0;           // cancel requests sent
  bool user_cancel = false;  // cancel(): "no such order" is the answer, not a query
  bool done = false;
  void finish(OrderOutcome o) {
    if (done) return;
    done = true;
    cb(std::move(o));
  }
};

RestOrderEntry::RestOrderEntry(boost::asio::io_context& io, std::unique_ptr<OrderProtocol> protocol,
                               std::string host, uint16_t port, Clock clock,
                               std::chrono::milliseconds timeout,
                               std::shared_ptr<RateLimiter> limiter, int max_queries,
                               std::shared_ptr<boost::asio::ssl::context> tls)
    : io_(io),
      protocol_(std::move(protocol)),
      http_(io, host, port, timeout, tls),
      host_(std::move(host)),
      port_(port),
      timeout_(timeout),
      tls_(std::move(tls)),
      clock_(std::move(clock)),
      limiter_(std::move(limiter)),
      max_queries_(max_queries) {}

RestOrderEntry::~RestOrderEntry() {
  *alive_ = false;
}

void RestOrderEntry::tell_limiter(const net::HttpResult& res) {
  if (!limiter_ || res.error) return;
  std::optional<int64_t> retry;
  if (res.retry_after_s) retry = *res.retry_after_s * 1'000'000'000;
  limiter_->on_response(res.status, retry, clock_());
}

void RestOrderEntry::send(RestRequest r, std::function<void(net::HttpResult)> done) {
  http_.request(r.verb, std::move(r.target), std::move(r.body), std::move(r.headers),
                [this, done = std::move(done), alive = alive_](net::HttpResult res) {
                  if (!*alive) return;
                  tell_limiter(res);
                  done(std::move(res));
                });
}

void RestOrderEntry::send_admitted(std::shared_ptr<Job> job, std::function<RestRequest()> build,
                                   std::function<void(net::HttpResult)> done) {
  // Built when it can go: the signature's timestamp must be fresh.
  auto request = build();
  if (limiter_) {
    auto a = limiter_->try_acquire(request.cost, clock_());
    if (!a.admitted) {
      if (a.retry_at_ns == INT64_MAX) {
        // It would never fit: what the order is stays unknown, and says why.
        OrderOutcome o = job->outcome;
        o.status = aqueduct::msg::ORDER_UNKNOWN;
        o.detail = "cannot ask the venue: " + a.reason;
        return job->finish(std::move(o));
      }
      // Waiting for room (a 429's Retry-After, a full bucket) is not an attempt.
      auto wait_ns = std::clamp<int64_t>(a.retry_at_ns - clock_(), 1'000'000, 60'000'000'000);
      auto timer =
          std::make_shared<boost::asio::steady_timer>(io_, std::chrono::nanoseconds(wait_ns));
      timer->async_wait([this, timer, job, build = std::move(build), done = std::move(done),
                         alive = alive_](boost::system::error_code ec) mutable {
        if (!ec && *alive) send_admitted(job, std::move(build), std::move(done));
      });
      return;
    }
  }
  send(std::move(request), std::move(done));
}

void RestOrderEntry::side_read(RestRequest request,
                               std::function<void(std::optional<RestAnswer>, std::string)> done) {
  if (limiter_ && !request.cost.empty()) {
    auto a = limiter_->try_acquire(request.cost, clock_());
    if (!a.admitted) {
      boost::asio::post(io_, [done = std::move(done), why = "not asked: " + a.reason] {
        done(std::nullopt, why);
      });
      return;
    }
  }
  if (!account_http_)
    account_http_ = std::make_unique<net::HttpClient>(io_, host_, port_, timeout_, tls_);
  account_http_->request(request.verb, std::move(request.target), std::move(request.body),
                         std::move(request.headers),
                         [this, done = std::move(done), alive = alive_](net::HttpResult res) {
                           if (!*alive) return;
                           tell_limiter(res);
                           if (res.error)
                             return done(std::nullopt, "request failed: " + res.error.message());
                           done(RestAnswer{res.status, res.body}, "");
                         });
}

bool RestOrderEntry::fetch_account(AccountCallback cb) {
  auto request = protocol_->account(clock_() / 1'000'000);
  if (!request) return false;
  side_read(std::move(*request),
            [this, cb = std::move(cb)](std::optional<RestAnswer> a, std::string why) {
              if (!a) return cb(std::nullopt, "account " + why);
              auto account = protocol_->read_account(*a, why);
              cb(std::move(account), std::move(why));
            });
  return true;
}

bool RestOrderEntry::fetch_funding_history(const Instrument& inst, int64_t from_ms, int64_t to_ms,
                                           FundingCallback cb) {
  auto request = protocol_->funding_history(inst, from_ms, to_ms);
  if (!request) return false;
  side_read(std::move(*request),
            [this, &inst, cb = std::move(cb)](std::optional<RestAnswer> a, std::string why) {
              if (!a) return cb(std::nullopt, "funding history " + why);
              auto page = protocol_->read_funding_history(*a, inst, why);
              cb(std::move(page), std::move(why));
            });
  return true;
}

void RestOrderEntry::warm(const Instrument& inst) const {
  LimitOrder o;
  o.symbol = inst.symbol;
  o.qty = std::max<int64_t>(inst.min_qty, 1);
  o.price = std::max<int64_t>(inst.tick, 1);
  o.client_order_id = "warm00000000000000000000000000b";
  auto request = protocol_->place(o, inst, clock_() / 1'000'000);
  (void)request;
}

bool RestOrderEntry::place(const LimitOrder& order, const Instrument& inst, Callback cb,
                           int64_t cancel_at_ns) {
  auto job = std::make_shared<Job>();
  job->order = order;
  job->inst = inst;
  job->cb = std::move(cb);
  if (order.tif == TimeInForce::PostOnly && cancel_at_ns > 0) {
    job->cancel_at_ns = cancel_at_ns;
    std::erase_if(working_, [](const auto& kv) { return kv.second.expired(); });
    working_[order.client_order_id] = job;
  }
  auto request = protocol_->place(order, inst, clock_() / 1'000'000);
  if (limiter_) {
    // Refused here, the order is certainly not at the venue: a rejection the caller can act
    // on at once (a hedge that waited for room would be a stale hedge).
    auto a = limiter_->try_acquire(request.cost, clock_());
    if (!a.admitted) {
      OrderOutcome o;
      o.status = aqueduct::msg::ORDER_REJECTED;
      o.detail = "not sent: rate limit (" + a.reason + ")";
      o.not_sent_until_ns = std::max<int64_t>(a.retry_at_ns, clock_() + 1);
      boost::asio::post(io_, [job, o = std::move(o)]() mutable { job->finish(std::move(o)); });
      return false;
    }
  }
  send(std::move(request), [this, job](net::HttpResult r) {
    Answer a;
    if (r.error) {
      a.verdict = r.maybe_sent ? Verdict::Unknown : Verdict::Final;
      a.outcome.status =
          r.maybe_sent ? aqueduct::msg::ORDER_UNKNOWN : aqueduct::msg::ORDER_REJECTED;
      a.outcome.detail =
          "transport: " + r.error.message() + (r.maybe_sent ? " after sending" : " before sending");
    } else {
      a = protocol_->read_place({r.status, r.body}, job->inst);
    }
    job->outcome = a.outcome;
    switch (a.verdict) {
      case Verdict::Final:
        if (a.outcome.filled_qty > 0 && a.outcome.fills.empty()) return fetch_fills(job);
        return job->finish(std::move(a.outcome));
      case Verdict::Accepted:
      case Verdict::Open:  // resting (post-only), or acknowledged and not yet matched
        return query(job);
      default:
        spdlog::warn("{} order {}: outcome unknown ({}); reconciling", protocol_->venue_kind(),
                     job->order.client_order_id, a.outcome.detail);
        return query(job);
    }
  });
  return true;
}

bool RestOrderEntry::cancel_working(const std::string& client_order_id) {
  auto it = working_.find(client_order_id);
  if (it == working_.end()) return false;
  auto job = it->second.lock();
  if (!job || job->done || job->cancel_at_ns <= 0) {
    working_.erase(it);
    return false;
  }
  job->cancel_at_ns = std::min(job->cancel_at_ns, std::max<int64_t>(clock_(), 1));
  return true;
}

void RestOrderEntry::cancel(const LimitOrder& order, const Instrument& inst, Callback cb) {
  auto job = std::make_shared<Job>();
  job->order = order;
  job->inst = inst;
  job->cb = std::move(cb);
  job->user_cancel = true;
  cancel_job(job);
}

void RestOrderEntry::cancel_job(std::shared_ptr<Job> job) {
  ++job->cancels;
  send_admitted(
      job, [this, job] { return protocol_->cancel(job->order, job->inst, clock_() / 1'000'000); },
      [this, job](net::HttpResult r) {
        Answer a;
        if (!r.error)
          a = protocol_->read_cancel({r.status, r.body}, job->inst);
        else
          a.outcome.detail = "transport: " + r.error.message();
        if (a.verdict == Verdict::NotFound && job->user_cancel) {
          OrderOutcome o;
          o.status = aqueduct::msg::ORDER_REJECTED;
          o.detail = "cancel: the venue has no such order";
          return job->finish(std::move(o));
        }
        // Cancelled, refused because already done, or unknown: the query says what the order is.
        query(job);
      });
}

void RestOrderEntry::reconcile(const LimitOrder& order, const Instrument& inst, Callback cb) {
  auto job = std::make_shared<Job>();
  job->order = order;
  job->inst = inst;
  job->cb = std::move(cb);
  job->cancel_at_ns = INT64_MIN;  // whoever was working it is gone: found working, it is cancelled
  query(job);
}

void RestOrderEntry::query(std::shared_ptr<Job> job) {
  ++job->queries;
  auto timer = std::make_shared<boost::asio::steady_timer>(io_);
  auto delay = std::chrono::milliseconds(std::min(50 * job->queries, 1000));
  if (job->cancel_at_ns > 0 && job->cancels == 0) {
    // Working until its deadline: polled every kWorkPoll, and looked at again right at it.
    auto left =
        std::chrono::nanoseconds(std::max<int64_t>(job->cancel_at_ns - clock_(), 1'000'000));
    delay = std::min(kWorkPoll, std::chrono::ceil<std::chrono::milliseconds>(left));
  }
  timer->expires_after(delay);
  timer->async_wait([this, timer, job, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive) return;
    send_admitted(
        job, [this, job] { return protocol_->query(job->order, job->inst, clock_() / 1'000'000); },
        [this, job](net::HttpResult r) {
          Answer a;
          if (!r.error)
            a = protocol_->read_query({r.status, r.body}, job->inst);
          else
            a.outcome.detail = "transport: " + r.error.message();
          std::string tail = " (after " + std::to_string(job->queries) + " queries)";
          switch (a.verdict) {
            case Verdict::Final:
              a.outcome.detail =
                  "reconciled" + tail + (a.outcome.detail.empty() ? "" : ": " + a.outcome.detail);
              job->outcome = a.outcome;
              if (a.outcome.filled_qty > 0 && a.outcome.fills.empty()) return fetch_fills(job);
              return job->finish(std::move(a.outcome));
            case Verdict::NotFound: {
              OrderOutcome o;
              o.status = aqueduct::msg::ORDER_REJECTED;
              o.detail = "reconciled: order never reached the venue" + tail;
              o.never_placed = true;
              return job->finish(std::move(o));
            }
            case Verdict::Open:
              if (job->cancel_at_ns != 0 && job->cancels == 0) {
                // A resting order: its polls are not attempts at an unknown outcome.
                job->queries = 0;
                if (job->cancel_at_ns == INT64_MIN || clock_() >= job->cancel_at_ns)
                  return cancel_job(job);
                return query(job);
              }
              // Still working after a cancel: the cancel may have been lost; ask again now and
              // then.
              if (job->cancels > 0 && job->queries % 5 == 0 && job->queries < max_queries_)
                return cancel_job(job);
              [[fallthrough]];
            default:
              if (job->queries >= max_queries_) {
                OrderOutcome o = job->outcome;
                o.status = aqueduct::msg::ORDER_UNKNOWN;
                o.detail = "still unknown" + tail + ": " + a.outcome.detail;
                return job->finish(std::move(o));
              }
              return query(job);  // open, or unknown: ask again
          }
        });
  });
}

void RestOrderEntry::fetch_fills(std::shared_ptr<Job> job) {
  if (!protocol_->fills(job->outcome.venue_order_id, job->inst, clock_() / 1'000'000))
    return job->finish(job->outcome);
  send_admitted(
      job,
      [this, job] {
        return *protocol_->fills(job->outcome.venue_order_id, job->inst, clock_() / 1'000'000);
      },
      [this, job](net::HttpResult r) {
        std::optional<std::vector<OrderFill>> fills;
        if (!r.error) fills = protocol_->read_fills({r.status, r.body}, job->inst);
        if (fills) {
          int64_t qty = 0;
          for (const auto& f : *fills) qty += f.qty;
          if (qty == job->outcome.filled_qty) {
            job->outcome.fills = std::move(*fills);
            job->outcome.filled_quote = 0;
            for (const auto& f : job->outcome.fills) job->outcome.filled_quote += f.price * f.qty;
            return job->finish(job->outcome);
          }
        }
        // The trades are not all listed yet (or unreadable): ask again, a bounded number of times.
        if (++job->queries >= max_queries_) {
          job->outcome.detail += "; trades not available, filled quantity as reported";
          return job->finish(job->outcome);
        }
        auto timer =
            std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(100));
        timer->async_wait([this, timer, job, alive = alive_](boost::system::error_code ec) {
          if (!ec && *alive) fetch_fills(job);
        });
      });
}

}  // namespace aq::connectors
