#!/usr/bin/env bash
# Pure cores take inputs and return decisions: a file under <component>/core/ includes no I/O
# (Asio, Beast, ZeroMQ, libpqxx, logging sinks, our networking, bus or record) and reads no
# clock of its own. Run by ctest (core_purity); prints each offending line and fails.
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cores=$(find "$root" -path "$root/build" -prune -o -type d -name core -print | grep -E '/(rfq|router|pricer|hedging)/core$')
[ -n "$cores" ] || { echo "no core directories found under $root"; exit 1; }
bad=$(grep -rnE '#include *[<"](boost/asio|boost/beast|zmq|pqxx|spdlog|aqueduct/net/|aqueduct/bus/|aqueduct/record/)|(system_clock|steady_clock|high_resolution_clock)::now|\bgetenv\b|\bfopen\b|std::(ifstream|ofstream)' $cores)
if [ -n "$bad" ]; then
  echo "core files doing I/O or reading a clock (cores take inputs and return decisions):"
  echo "$bad"
  exit 1
fi
echo "core purity: $(find $cores -name '*.cpp' -o -name '*.hpp' | wc -l) files in $(echo $cores | wc -w) core(s) clean"
