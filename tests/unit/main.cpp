#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
// tests/run reads TAP (-r junit) to count results.
