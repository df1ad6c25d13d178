// What a request handler gets from one of the server's _bulk_docs readers (couch_bulk_body.hpp), as text, or the
// error it threw: the server tests and the fuzz target compare simdjson's reader with nlohmann's through it.
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "server/couch_bulk_body.hpp"
#include "server/couch_error.hpp"

namespace steward::testing {

inline std::string bulk_body_outcome(server::couch::BulkDocsBody (*parse)(std::string_view), const std::string& body) {
  try {
    const server::couch::BulkDocsBody parsed = parse(body);
    std::string out = parsed.new_edits ? "new_edits" : "replicated";
    for (const auto& item : parsed.items) {
      // Documents without an id get a random one from either reader: only that they got one counts.
      const bool random = body.find("\"" + item.id + "\"") == std::string::npos;
      out += "\n" + (random ? std::string("(random id)") : item.id) + " | ";
      if (item.local) {
        out += "local " + item.local->dump();
        continue;
      }
      const server::couch::IncomingDoc& d = item.doc;
      out += (d.rev ? d.rev->str() : "-") + (d.deleted ? " | deleted | " : " | live | ");
      if (d.revisions) {
        out += std::to_string(d.revisions->start);
        for (const auto& hash : d.revisions->ids) out += " " + hash;
      }
      out += " | " + d.body + " | " + (d.attachments ? d.attachments->dump() : "-");
    }
    return out;
  } catch (const server::couch::CouchError& e) {
    return "CouchError " + std::to_string(e.status) + " " + e.error + ": " + e.what();
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  }
}

}  // namespace steward::testing
