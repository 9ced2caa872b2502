#pragma once
// The deployment's bus key (bus.curve_secret_env): read from the environment variable the
// config names and installed on a ZeroMQ context, so that its tcp:// and ipc:// bus sockets
// talk only to processes holding the same key (bus/bus_security.hpp).
#include <memory>
#include <zmq.hpp>

#include "aqueduct/app/config.hpp"
#include "aqueduct/bus/bus_security.hpp"

namespace aq::app {

// Null when the config names no variable, or when `ctx` has a key already. Throws naming the
// variable (never its value) when it is unset or not a key.
std::unique_ptr<bus::BusSecurity> secure_bus(zmq::context_t& ctx, const AppConfig& config);

// The directories of the config's ipc:// endpoints: one that does not exist is created for
// this user alone (0700); one that other users may write to is refused (they could put their
// own socket in place of a component's) unless the bus has a key. Throws naming the directory,
// its mode and what to do.
void prepare_ipc_dirs(const AppConfig& config);

}  // namespace aq::app
