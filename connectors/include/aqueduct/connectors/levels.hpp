#pragma once
// Book levels as venues send them, decoded exactly into fixed point. Shared by every venue
// parser so that all of them refuse the same things with the same words.
#include <string_view>
#include <vector>

#include "aqueduct/connectors/json_cursor.hpp"
#include "aqueduct/types/instrument.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::connectors {

// The units of `text` at `scale`. Prices must be positive, sizes may be zero (a deletion).
// Fails naming the field, the text, and what is allowed.
int64_t decimal_units(JsonCursor& c, std::string_view text, int scale, const char* name, bool positive);
inline int64_t price_units(JsonCursor& c, std::string_view text, const Instrument& inst) {
  return decimal_units(c, text, inst.price_scale, "price", true);
}
inline int64_t size_units(JsonCursor& c, std::string_view text, const Instrument& inst, const char* name = "size") {
  return decimal_units(c, text, inst.qty_scale, name, false);
}

// A decimal written as text (or a JSON number's raw text), exactly, with its own number of
// decimals (up to 18); fails naming the field when it is not a plain decimal.
Decimal exact_decimal(JsonCursor& c, std::string_view text, std::string_view field);

// Millisecond Unix times are accepted up to this (year 2255), so that converting them to
// nanoseconds can never overflow int64.
inline constexpr int64_t kMaxMillis = 9'000'000'000'000;

// A millisecond Unix time written as a string of digits ("1717171717123"), as OKX and Bybit
// send times; fails naming the field.
int64_t millis_text(JsonCursor& c, std::string_view text, std::string_view field);
// The same written as a JSON number (Binance "E", Bybit "ts").
int64_t millis_number(JsonCursor& c, std::string_view field);

// Reads [["price","size"],...] into `out` (cleared first, capacity kept). `shape` names the
// expected form in errors, e.g. "[\"price\",\"qty\"]".
void read_string_pair_levels(JsonCursor& c, const Instrument& inst, std::vector<Level>& out,
                             const char* shape, const char* size_name = "size");

}  // namespace aq::connectors
