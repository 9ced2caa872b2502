#pragma once
// A small network configuration for end-to-end tests: the simulator's BTCUSDT and ETHUSDT,
// one listing each, ports picked by the OS.
#include <string>

namespace aq::testing {

// `bus` is a JSON object for the "bus" key, e.g. {"transport":"inproc"}.
std::string network_config_json(const std::string& bus = R"({"transport":"inproc"})",
                                 int rfq_port = 0, int sim_port = 0);

}  // namespace aq::testing
