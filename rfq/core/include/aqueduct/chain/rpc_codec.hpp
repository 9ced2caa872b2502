#pragma once
// Ethereum JSON-RPC as text in, values out: the requests the settlement watcher sends and a
// strict reader for the node's answers. Pure (no sockets): the shell carries the text.
// Every reader says what was wrong; an answer that is too large, has the wrong id, or a field
// of the wrong shape is refused, never read as zero.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/eth/hex.hpp"

namespace aq::chain {

// The largest answer read; a node that sends more (a getLogs over too wide a range) is
// refused, and the watcher asks for a narrower range.
inline constexpr size_t kMaxRpcAnswerBytes = 16u << 20;

struct BlockHeader {
  uint64_t number = 0;
  eth::Hash32 hash{};
  eth::Hash32 parent_hash{};
  uint64_t timestamp = 0;  // seconds
};

struct Log {
  eth::Address address;
  std::vector<eth::Hash32> topics;
  std::vector<uint8_t> data;
  uint64_t block_number = 0;
  eth::Hash32 block_hash{};
  eth::Hash32 tx_hash{};
  uint64_t log_index = 0;
  bool removed = false;  // a subscription's word that the log's block left the chain
};

struct Receipt {
  eth::Hash32 tx_hash{};
  uint64_t block_number = 0;
  eth::Hash32 block_hash{};
  bool success = false;  // status 0x1
  std::vector<Log> logs;
};

// {"jsonrpc":"2.0","id":ID,"method":M,"params":P}
std::string rpc_request(uint64_t id, std::string_view method, const boost::json::array& params);

// The "result" of an answer to request `id`; nullopt with `why` for an error object, another
// id, no result, or malformed or oversized text.
std::optional<boost::json::value> rpc_result(std::string_view text, uint64_t id, std::string& why);

// A subscription notification {"method":"eth_subscription","params":{"subscription":S,
// "result":R}}: its subscription id and result; nullopt if the text is not one.
struct Notification {
  std::string subscription;
  boost::json::value result;
};
std::optional<Notification> rpc_notification(std::string_view text, std::string& why);

// "0x…" quantities: no leading zeros beyond "0x0", at most 64 bits.
std::optional<uint64_t> parse_quantity(const boost::json::value& v, std::string& why);
std::string to_quantity(uint64_t v);

std::optional<BlockHeader> parse_block_header(const boost::json::value& v, std::string& why);
std::optional<Log> parse_log(const boost::json::value& v, std::string& why);
std::optional<std::vector<Log>> parse_logs(const boost::json::value& v, std::string& why);
// A receipt, or (the transaction not mined, or its block gone) nullopt with an empty `why`.
std::optional<Receipt> parse_receipt(const boost::json::value& v, std::string& why);

// eth_getLogs parameters for `addresses` and one topic0 among `topics0`, blocks [from, to].
boost::json::array get_logs_params(const std::vector<eth::Address>& addresses,
                                   const std::vector<eth::Hash32>& topics0, uint64_t from,
                                   uint64_t to);

}  // namespace aq::chain
