// The HTTP side of GET/POST /couch/{db}/_changes: its parameters, the answer for feed=normal, and the
// longpoll wait. A longpoll with nothing to report yet answers with a chunked body and waits on the
// ChangeNotifier (no polling of the database): it sends a newline every `heartbeat` ms meanwhile (and at
// least every 5 s, to notice a client that has gone), and the changes as soon as a commit brings some, or an
// empty result when `timeout` (default 60 s) runs out.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "server/couch_changes.hpp"
#include "server/couch_request.hpp"

namespace httplib {
struct Response;
}

namespace steward::server {
class SqliteStore;
}

namespace steward::server::couch {

struct FeedRequest {
  ChangesQuery query;
  bool since_now = false;  // since=now: from the update_seq at the time of the request
  bool longpoll = false;
  std::optional<std::chrono::milliseconds> heartbeat;
  std::optional<std::chrono::milliseconds> timeout;
};

// post_body: the JSON body of a POST (for {"doc_ids": [..]}), null for GET. Throws CouchError 400.
FeedRequest parse_feed_request(const Params& params, const nlohmann::json& post_body);

// on_answer, if set, sees the answer's JSON text before it is sent (for the audit of owner-file reads); a longpoll
// calls it later, on the worker that sends the answer.
using AnswerObserver = std::function<void(const std::string& answer)>;
void serve_changes(SqliteStore& store, ChangeNotifier& notifier, const std::string& db, FeedRequest feed,
                   httplib::Response& res, AnswerObserver on_answer = {});

}  // namespace steward::server::couch
