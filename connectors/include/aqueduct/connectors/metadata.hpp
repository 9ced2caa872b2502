#pragma once
// Pure parsers of each venue's instrument metadata endpoint, normalised to InstrumentSpec,
// and the request path that asks for one symbol. Metadata is read once at start, so these use
// Boost.JSON for clarity, except BitMEX, whose numbers must be read exactly from their text.
// Each throws ParseError naming the venue, the field and what was expected.
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/connectors/instrument_spec.hpp"
#include "aqueduct/connectors/parse_error.hpp"

namespace aq::connectors {

// The metadata request for `symbol` on a venue speaking `protocol` (binance_spot, binance_usdm,
// okx, bybit, bitmex, coinbase); `kind` picks the OKX instType and Bybit category.
std::string metadata_path(const std::string& protocol, const std::string& symbol, InstrumentKind kind);

// Parses that endpoint's answer.
std::vector<InstrumentSpec> parse_metadata(const std::string& protocol, const std::string& venue,
                                           std::string_view json);

std::vector<InstrumentSpec> parse_binance_exchange_info(std::string_view json, const std::string& venue, bool futures);
std::vector<InstrumentSpec> parse_okx_instruments(std::string_view json, const std::string& venue);
std::vector<InstrumentSpec> parse_bybit_instruments(std::string_view json, const std::string& venue);
std::vector<InstrumentSpec> parse_bitmex_instruments(std::string_view json, const std::string& venue);
std::vector<InstrumentSpec> parse_coinbase_products(std::string_view json, const std::string& venue);

}  // namespace aq::connectors
