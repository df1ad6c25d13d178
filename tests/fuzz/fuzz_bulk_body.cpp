// libFuzzer target: _bulk_docs bodies through both of the server's readers (couch_bulk_body.hpp): simdjson's,
// which the server uses, and nlohmann's, the reference. They must give the same documents (ids, revisions,
// canonical bodies, attachments, _local ones) or the same error; any difference aborts. The input is tried as a
// whole body and as the one document of one.
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "../support/bulk_body_outcome.hpp"

using namespace steward::server::couch;

namespace {

using steward::testing::bulk_body_outcome;

void compare(const std::string& body) {
  const std::string fast = bulk_body_outcome(parse_bulk_docs, body);
  const std::string reference = bulk_body_outcome(parse_bulk_docs_nlohmann, body);
  if (fast != reference) {
    std::fprintf(stderr, "readers differ on %s\nsimdjson: %s\nnlohmann: %s\n", body.c_str(), fast.c_str(),
                 reference.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  compare(text);
  compare("{\"docs\":[" + text + "]}");
  return 0;
}
