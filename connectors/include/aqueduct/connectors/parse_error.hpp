#pragma once
#include <stdexcept>

namespace aq::connectors {

// A venue message we cannot read. The text names the message kind and what was wrong.
class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace aq::connectors
