// The core suite's runner. The suite is pure (no files, no clock) so it also runs as WASM under node.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
