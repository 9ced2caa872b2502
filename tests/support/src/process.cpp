#include "aqueduct/testing/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/asio/ip/tcp.hpp>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace aq::testing {

using namespace std::chrono_literals;

uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

Process spawn(const std::string& name, const std::vector<std::string>& args,
              const std::string& dir) {
  Process p{name, -1, dir + "/" + name + ".log"};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, p.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int rc = posix_spawn(&p.pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
  return p;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int wait_exit(Process& p, std::chrono::milliseconds timeout) {
  if (p.pid <= 0) return -1;
  auto until = std::chrono::steady_clock::now() + timeout;
  do {
    int status = 0;
    if (waitpid(p.pid, &status, WNOHANG) == p.pid) {
      p.pid = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(10ms);
  } while (std::chrono::steady_clock::now() < until);
  return -2;
}

int stop(Process& p) {
  if (p.pid <= 0) return -1;
  kill(p.pid, SIGTERM);
  int rc = wait_exit(p, 10'000ms);
  if (rc != -2) return rc;
  kill(p.pid, SIGKILL);
  waitpid(p.pid, nullptr, 0);
  p.pid = -1;
  return -1;
}

std::pair<int, std::string> run(const std::string& name, const std::vector<std::string>& args,
                                const std::string& dir, std::chrono::milliseconds timeout) {
  Process p = spawn(name, args, dir);
  int rc = wait_exit(p, timeout);
  if (rc == -2) {
    kill(p.pid, SIGKILL);
    waitpid(p.pid, nullptr, 0);
    rc = -1;
  }
  return {rc, read_file(p.log)};
}

ScopedEnv::ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
  if (const char* v = std::getenv(name.c_str())) old = v;
  setenv(name.c_str(), value.c_str(), 1);
}

ScopedEnv::~ScopedEnv() {
  if (old)
    setenv(name.c_str(), old->c_str(), 1);
  else
    unsetenv(name.c_str());
}

ProcessGuard::~ProcessGuard() {
  for (auto& p : procs) {
    if (p.pid <= 0) continue;
    kill(p.pid, SIGKILL);
    waitpid(p.pid, nullptr, 0);
  }
}

}  // namespace aq::testing
