#include "aqueduct/app/bus_key.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
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

void prepare_ipc_dirs(const AppConfig& config) {
  for (const auto& [_, ep] : config.endpoints.named()) {
    if (ep->rfind("ipc://", 0) != 0) continue;
    auto dir = std::filesystem::path(ep->substr(6)).parent_path();
    if (dir.empty()) continue;  // relative to the working directory: the operator's to keep
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
      std::filesystem::create_directories(dir, ec);
      if (ec)
        throw std::runtime_error("bus: cannot create the ipc directory " + dir.string() + " (" +
                                 ec.message() + "); create it for the service's user (mode 0700)");
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::replace, ec);
      continue;
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) continue;  // bind reports it
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && config.bus_curve_secret_env.empty()) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
      throw std::runtime_error(
          "bus: the ipc directory " + dir.string() + " may be written by other users (mode " +
          mode +
          "), who could put their own socket in place of a component's: make it the service "
          "user's alone (chmod 700), or give the bus a key (bus.curve_secret_env)");
    }
  }
}

}  // namespace aq::app
