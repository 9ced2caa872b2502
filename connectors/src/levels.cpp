#include "aqueduct/connectors/levels.hpp"

namespace aq::connectors {

int64_t decimal_units(JsonCursor& c, std::string_view text, int scale, const char* name, bool positive) {
  auto allowed = [&] {
    return scale == 0 ? std::string(" (a whole number)")
                      : " (at most " + std::to_string(scale) + " decimals)";
  };
  aq::ParseError why{};
  auto d = Decimal::parse(text, scale, &why);
  if (!d) c.fail(std::string(name) + " '" + std::string(text) + "' " + aq::to_string(why) + allowed());
  if (positive && d->units <= 0) c.fail(std::string(name) + " '" + std::string(text) + "' must be positive");
  if (!positive && d->units < 0) c.fail(std::string(name) + " '" + std::string(text) + "' must not be negative");
  return d->units;
}

void read_string_pair_levels(JsonCursor& c, const Instrument& inst, std::vector<Level>& out,
                             const char* shape, const char* size_name) {
  auto bad_shape = [&] { c.fail(std::string("each level must be ") + shape); };
  out.clear();
  c.expect('[');
  if (c.accept(']')) return;
  do {
    if (!c.accept('[') || c.peek() != '"') bad_shape();
    auto ps = c.string();
    c.expect(',');
    if (c.peek() != '"') bad_shape();
    auto qs = c.string();
    if (!c.accept(']')) bad_shape();
    int64_t p = price_units(c, ps, inst);
    int64_t q = size_units(c, qs, inst, size_name);
    out.push_back({p, q});
  } while (c.accept(','));
  c.expect(']');
}

int64_t millis_text(JsonCursor& c, std::string_view t, std::string_view field) {
  if (t.empty() || t.size() > 13) c.fail(std::string(field) + " must be a millisecond time as a string of digits");
  int64_t v = 0;
  for (char ch : t) {
    if (ch < '0' || ch > '9') c.fail(std::string(field) + " must be a millisecond time as a string of digits");
    v = v * 10 + (ch - '0');
  }
  if (v > kMaxMillis) c.fail(std::string(field) + " is beyond the year 2255");
  return v;
}

int64_t millis_number(JsonCursor& c, std::string_view field) {
  uint64_t v = c.uint(field);
  if (v > static_cast<uint64_t>(kMaxMillis)) c.fail(std::string(field) + " is beyond the year 2255");
  return static_cast<int64_t>(v);
}

Decimal exact_decimal(JsonCursor& c, std::string_view text, std::string_view field) {
  aq::ParseError why{};
  auto d = Decimal::parse_natural(text, &why);
  if (!d)
    c.fail(std::string(field) + " '" + std::string(text) + "' is not a plain decimal (" + to_string(why) +
           "; at most 18 decimals)");
  return *d;
}

}  // namespace aq::connectors
