#pragma once
// Follows the canonical chain from the heads a node announces, and notices when it changes
// under us. Development nodes (anvil, ganache) never mark logs `removed` when blocks are
// reverted, and a real node's `removed` logs are lost across a reconnect; what is always
// visible is a head at a height already seen with another hash, or whose parent is not the
// block held below it. So the tracker keeps the hashes of the last `keep` blocks and compares
// parents. Pure: the shell fetches the headers it asks for and feeds them back.
#include <cstdint>
#include <deque>
#include <optional>

#include "aqueduct/chain/rpc_codec.hpp"

namespace aq::chain {

class ChainTracker {
 public:
  struct Step {
    enum class Kind {
      Extended,   // the head follows the tip: it is the new tip
      Duplicate,  // a block already held, same hash: nothing to do
      Gap,        // blocks [from, to] are missing: feed their headers in order, then the head
      FindFork,   // the head does not follow what is held: feed the header at `from`
      Reorg,      // blocks from `from` up changed: what they carried is unconfirmed
    } kind = Kind::Extended;
    uint64_t from = 0;
    uint64_t to = 0;
    bool deep = false;  // Reorg: the fork is below everything held; `from` is the oldest held
  };

  explicit ChainTracker(size_t keep = 256) : keep_(keep < 2 ? 2 : keep) {}

  // A head (a newHeads notification, or a header the shell fetched).
  Step on_head(const BlockHeader& h);
  // While looking for the fork: the node's canonical header at the height asked for. Either
  // the fork is found (Reorg, with everything above it dropped; the shell then feeds the new
  // blocks from `from` up) or the next height down is asked for (FindFork).
  Step on_fork_header(const BlockHeader& h);

  std::optional<uint64_t> tip() const;
  std::optional<eth::Hash32> hash_at(uint64_t number) const;
  // Forget everything (a chain that could not be followed; the next head starts afresh).
  void reset() { blocks_.clear(); }
  // Forget `number` and above (a block whose logs could not be read: the next head finds it
  // missing and asks for it again).
  void forget_from(uint64_t number) { drop_from(number); }

 private:
  struct Held {
    uint64_t number;
    eth::Hash32 hash;
  };
  void push(const BlockHeader& h);
  void drop_from(uint64_t number);

  size_t keep_;
  std::deque<Held> blocks_;  // consecutive heights, oldest first
};

}  // namespace aq::chain
