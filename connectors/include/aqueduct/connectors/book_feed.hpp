#pragma once
// What the connectors component needs from any venue's market-data session, whatever its
// protocol: start and stop it, and read each of its instruments' book state for checkpoints.
// Sessions report changes through a BookListener; this is the read side.
#include <cstddef>
#include <cstdint>

#include "aqueduct/msg/market.pb.h"
#include "aqueduct/types/instrument.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::connectors {

class BookFeed {
 public:
  virtual ~BookFeed() = default;
  virtual void start() = 0;
  virtual void stop() = 0;
  virtual size_t size() const = 0;  // instruments served by this session
  virtual const Instrument& instrument(size_t i) const = 0;
  virtual aqueduct::msg::BookState state(size_t i) const = 0;
  virtual L2Book book(size_t i) const = 0;
  virtual uint64_t seq(size_t i) const = 0;
};

}  // namespace aq::connectors
