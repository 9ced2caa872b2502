#pragma once
// A strict, allocation-free reader for the small JSON shapes venues stream at high rates.
// It reads exactly one value at a time from a string_view and throws ParseError naming the
// message and what was wrong. Strings with escapes are refused (venue market data never has
// them; a message that does is not one we understand, so it is not trusted).
#include <cstdint>
#include <string>
#include <string_view>

#include "aqueduct/connectors/parse_error.hpp"

namespace aq::connectors {

class JsonCursor {
 public:
  JsonCursor(std::string_view text, const char* what) : p_(text.data()), end_(text.data() + text.size()), what_(what) {}

  void skip_ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool at_end() {
    skip_ws();
    return p_ == end_;
  }
  char peek() {
    skip_ws();
    if (p_ == end_) fail("invalid JSON (unexpected end)");
    return *p_;
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("invalid JSON (expected '") + c + "')");
    ++p_;
  }
  // Consumes `c` if it is next.
  bool accept(char c) {
    if (peek() != c) return false;
    ++p_;
    return true;
  }
  std::string_view string() {
    if (peek() != '"') fail("invalid JSON (expected a string)");
    const char* start = ++p_;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\') fail("escaped strings are not accepted");
      if (static_cast<unsigned char>(*p_) < 0x20) fail("invalid JSON (control character in string)");
      ++p_;
    }
    if (p_ == end_) fail("invalid JSON (unterminated string)");
    return {start, static_cast<size_t>(p_++ - start)};
  }
  // A non-negative integer without sign, fraction or exponent.
  uint64_t uint(std::string_view field) {
    peek();
    if (p_ == end_ || *p_ < '0' || *p_ > '9')
      fail("field '" + std::string(field) + "' must be a non-negative integer");
    uint64_t v = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      auto d = static_cast<uint64_t>(*p_ - '0');
      if (v > (UINT64_MAX - d) / 10) fail("field '" + std::string(field) + "' is too large");
      v = v * 10 + d;
      ++p_;
    }
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E'))
      fail("field '" + std::string(field) + "' must be a non-negative integer");
    return v;
  }
  // The raw text of a JSON number, for exact decimal parsing (never through a double).
  // Exponents are refused: venues that send money as numbers send plain decimals.
  std::string_view number_text(std::string_view field) {
    peek();
    const char* start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    while (p_ < end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '.')) ++p_;
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E'))
      fail("field '" + std::string(field) + "' uses an exponent; a plain decimal is required");
    if (p_ == start || (p_ == start + 1 && *start == '-'))
      fail("field '" + std::string(field) + "' must be a number");
    return {start, static_cast<size_t>(p_ - start)};
  }
  // A signed integer without fraction or exponent.
  int64_t int64(std::string_view field) {
    bool neg = accept('-');
    uint64_t mag = uint(field);
    if (mag > static_cast<uint64_t>(INT64_MAX) + (neg ? 1 : 0)) fail("field '" + std::string(field) + "' is too large");
    return neg ? static_cast<int64_t>(0 - mag) : static_cast<int64_t>(mag);
  }
  // Skips any JSON value (for fields we do not use), with a nesting bound.
  void skip_value(int depth = 0) {
    if (depth > 32) fail("nesting too deep");
    char c = peek();
    if (c == '"') {
      string();
    } else if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      ++p_;
      if (accept(close)) return;
      do {
        if (c == '{') {
          string();
          expect(':');
        }
        skip_value(depth + 1);
      } while (accept(','));
      expect(close);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      ++p_;
      while (p_ < end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '.' || *p_ == 'e' || *p_ == 'E' ||
                           *p_ == '+' || *p_ == '-'))
        ++p_;
    } else if (literal("true") || literal("false") || literal("null")) {
    } else {
      fail("invalid JSON (unexpected character)");
    }
  }
  [[noreturn]] void fail(const std::string& why) const { throw ParseError(std::string(what_) + ": " + why); }

 private:
  bool literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  const char* p_;
  const char* end_;
  const char* what_;
};

}  // namespace aq::connectors
