// libFuzzer target: _bulk_docs bodies through both of the server's readers (couch_bulk_body.hpp): simdjson's,
// which the server uses, and nlohmann's, the reference. They must give the same documents (ids, revisions,
// canonical bodies, attachments, _local ones) or the same error; any difference aborts. The input is tried as a
// whole body and as the one document of one.
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "server/couch_bulk_body.hpp"
#include "server/couch_error.hpp"

using namespace steward::server::couch;

namespace {

std::string outcome(BulkDocsBody (*parse)(std::string_view), const std::string& body) {
  try {
    const BulkDocsBody parsed = parse(body);
    std::string out = parsed.new_edits ? "+" : "-";
    for (const auto& item : parsed.items) {
      // Documents without an id get a random one from either reader: only its presence counts.
      const bool random = body.find("\"" + item.id + "\"") == std::string::npos;
      out += "\n" + (random ? std::string("(random)") : item.id) + " ";
      if (item.local) {
        out += item.local->dump();
        continue;
      }
      const IncomingDoc& d = item.doc;
      out += (d.rev ? d.rev->str() : "-") + (d.deleted ? " del " : " live ") + d.body + " " +
             (d.attachments ? d.attachments->dump() : "-");
      if (d.revisions) {
        out += " " + std::to_string(d.revisions->start);
        for (const auto& h : d.revisions->ids) out += "," + h;
      }
    }
    return out;
  } catch (const CouchError& e) {
    return "CouchError " + std::to_string(e.status) + " " + e.error + " " + e.what();
  } catch (const std::exception& e) {
    return std::string("exception ") + e.what();
  }
}

void compare(const std::string& body) {
  const std::string fast = outcome(parse_bulk_docs, body);
  const std::string reference = outcome(parse_bulk_docs_nlohmann, body);
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
