# Every dependency comes from a Debian 12 package (see ops/lib/packages.sh).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Protobuf REQUIRED)
find_package(cppzmq REQUIRED)
find_package(spdlog REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS json)
find_package(OpenSSL REQUIRED)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(SECP256K1 REQUIRED IMPORTED_TARGET libsecp256k1)
find_path(DOCTEST_INCLUDE_DIR doctest/doctest.h REQUIRED)

# Asio configuration must be identical in every translation unit (templates are merged by the
# linker), so it is set once for the whole project.
add_compile_definitions(BOOST_ASIO_NO_DEPRECATED)
