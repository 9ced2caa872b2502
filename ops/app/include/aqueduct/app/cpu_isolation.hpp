#pragma once
// Keeping one CPU for the hedging loop (hedging.cpu): the fill-to-order path runs on a core no
// other thread of the process is scheduled on, so a market-data or database wake-up never
// preempts it mid-hedge. The bench saw the hedging thread preempted ~30 times a second when
// it shared the machine's two cores with the rest of the network.
#include <string>
#include <vector>

namespace aq::app {

// The CPUs this process may run on (its affinity mask), ascending.
std::vector<int> allowed_cpus();

// Moves every thread the process has now, and the calling thread (so threads it starts later
// inherit it), onto the allowed CPUs other than `cpu`. Throws naming what is allowed when
// `cpu` is not one of them or is the only one.
void keep_cpu_for_one_thread(int cpu);

// Pins the calling thread to `cpu`; returns an empty string or why the kernel refused.
std::string pin_calling_thread(int cpu);

}  // namespace aq::app
