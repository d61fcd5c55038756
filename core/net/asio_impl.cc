// The one translation unit that compiles Boost.Asio, Beast and Asio's SSL
// support (BOOST_*_SEPARATE_COMPILATION is set on every user by the
// gitopsd_net target), so each other file that uses them compiles fast.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
