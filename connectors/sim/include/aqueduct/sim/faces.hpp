#pragma once
// The simulator's protocol faces for venues that stream books by subscription.
#include <memory>
#include <string_view>

#include "aqueduct/sim/stream_face.hpp"

namespace aq::sim {

std::unique_ptr<StreamFace> make_okx_face();                  // /ws/v5/public, books
std::unique_ptr<StreamFace> make_bybit_face(int depth = 50);  // /v5/public/{spot,linear}
std::unique_ptr<StreamFace> make_bitmex_face();               // /realtime, orderBookL2
std::unique_ptr<StreamFace> make_coinbase_face();             // Advanced Trade level2
// By venue kind ("okx", "bybit", "bitmex", "coinbase"); throws std::invalid_argument otherwise.
std::unique_ptr<StreamFace> make_face(std::string_view kind);

}  // namespace aq::sim
