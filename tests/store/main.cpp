// The store suite's runner (native only: it works on real files in a temporary folder).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
