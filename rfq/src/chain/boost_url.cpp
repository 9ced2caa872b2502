// Boost.URL is used header-only (Debian ships no compiled libboost_url): its sources, once.
#include <boost/url/src.hpp>
