#pragma once
// Keeps the kernel's TCP send path warm for a latency-critical socket that is written rarely.
//
// A hedge order is written after the loop has been idle for a while, and on a virtual machine
// the first loopback or NIC send after idle finds the kernel's TCP code, its data and the
// page-table caches cold: the bench measured a bare 450-byte send at p50 8 us every 2 ms but
// 37 us every 100 ms. warm() writes a few hundred bytes over a private loopback connection
// and reads them back, so the next real send runs through warm caches. Nothing reaches any
// venue. Without loopback (socket errors at construction) warm() does nothing.
#include <cstddef>
#include <cstdint>

namespace aq::net {

class SendPathWarmer {
 public:
  SendPathWarmer();
  ~SendPathWarmer();
  SendPathWarmer(const SendPathWarmer&) = delete;
  SendPathWarmer& operator=(const SendPathWarmer&) = delete;
  // One write of `bytes` (at most 1024) and the read that drains it; never blocks.
  void warm(size_t bytes = 450);
  bool ready() const { return tx_ >= 0 && rx_ >= 0; }
  // Bytes written and read back so far: equal when every warm-up was drained.
  uint64_t written() const { return written_; }
  uint64_t drained() const { return drained_; }

 private:
  int tx_ = -1;
  int rx_ = -1;
  uint64_t written_ = 0;
  uint64_t drained_ = 0;
};

}  // namespace aq::net
