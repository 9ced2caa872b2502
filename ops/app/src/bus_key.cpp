#include "aqueduct/app/bus_key.hpp"

#include <cstdlib>
#include <stdexcept>

namespace aq::app {

std::unique_ptr<bus::BusSecurity> secure_bus(zmq::context_t& ctx, const AppConfig& config) {
  const std::string& name = config.bus_curve_secret_env;
  if (name.empty() || bus::BusSecurity::key_for(ctx)) return nullptr;
  const char* secret = std::getenv(name.c_str());
  if (!secret || !*secret)
    throw std::runtime_error("bus.curve_secret_env: the environment variable " + name +
                             " is not set; it must hold the deployment's bus secret key (40 "
                             "characters of Z85, made with 'aqueduct bus-key'), the same in every "
                             "process of the deployment");
  try {
    return std::make_unique<bus::BusSecurity>(ctx, bus::curve_key_from_secret(secret));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error("bus.curve_secret_env: " + name + ": " + e.what());
  }
}

}  // namespace aq::app
