#pragma once
#include <chrono>
#include <string>

namespace aq::rfq {

// The native takers' API (config "rfq"): where the client-key master secret lives, how far a
// signed request's timestamp may be from our clock, and the pace of level streams.
struct NativeOptions {
  std::string key_master_env = "AQ_CLIENT_KEY_MASTER";
  std::string key_master_file = ".aqueduct/client-key-master";
  std::chrono::milliseconds auth_window{5000};
  std::chrono::milliseconds stream_interval{250};  // level streams: at most one update per interval
  std::chrono::milliseconds stream_heartbeat{5000};  // unchanged levels are re-sent this often
};

}  // namespace aq::rfq
