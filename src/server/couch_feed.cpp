#include "server/couch_feed.hpp"

#include <httplib.h>

#include <algorithm>
#include <memory>

#include "server/couch_error.hpp"
#include "server/log.hpp"
#include "server/sqlite_store.hpp"

namespace steward::server::couch {

using nlohmann::json;
using Clock = ChangeNotifier::Clock;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kDefaultTimeout{60000};    // CouchDB's changes_timeout
constexpr milliseconds kDefaultHeartbeat{60000};  // heartbeat=true
constexpr milliseconds kMinHeartbeat{100};
// "heartbeat without timeout waits indefinitely" (CouchDB), bounded here by a year: a time_point::max()
// deadline overflows inside condition_variable::wait_until.
constexpr std::chrono::hours kForever{24 * 365};

// A worker learns that a longpoll's client has gone only when a write to it fails, so a waiting feed writes a
// newline at least this often even without a heartbeat parameter: JSON allows the whitespace, and a dead
// connection holds its worker for seconds rather than for the whole timeout.
constexpr milliseconds kLivenessInterval{5000};

// kCouchJsonType is not compressed by httplib, and compress_couch_response() skips streamed bodies: a
// compressor would hold the heartbeat newlines back until the end, defeating them. A waiting feed is small.
constexpr const char* kStreamedType = kCouchJsonType;

std::optional<milliseconds> duration_param(const Params& params, const char* name, milliseconds if_true) {
  auto text = params.text(name);
  if (!text) return std::nullopt;
  if (*text == "true") return if_true;
  const int64_t ms = *params.integer(name);
  if (ms < 0) throw CouchError(400, "query_parse_error", std::string("Invalid value for ") + name);
  return milliseconds(ms);
}

int64_t parse_since(const std::string& text) {
  // Integers as this server hands them out; CouchDB 3's "<n>-<opaque>" form is read by its number.
  size_t digits = 0;
  while (digits < text.size() && digits < 18 && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || (digits < text.size() && text[digits] != '-')) {
    throw CouchError(400, "bad_request", "Malformed since: \"" + text + "\"");
  }
  return std::stoll(text.substr(0, digits));
}

// Reads pages of the feed for one request, each in its own read transaction.
struct FeedReader {
  SqliteStore& store;
  std::string db;
  FeedRequest feed;

  // nullopt when the database does not exist (any more).
  std::optional<ChangesPage> read() {
    std::optional<ChangesPage> page;
    store.read([&](StoreTransaction& tx) {
      CouchTables tables(tx);
      auto info = tables.find_db(db);
      if (!info) return;
      if (feed.since_now) {
        feed.query.since = info->update_seq;
        feed.since_now = false;
      }
      page = read_changes(tables, *info, feed.query);
    });
    return page;
  }
  std::string empty_answer() const {
    ChangesPage page;
    page.last_seq = feed.query.since;
    return page.json();
  }
};

}  // namespace

FeedRequest parse_feed_request(const Params& params, const json& post_body) {
  FeedRequest feed;
  ChangesQuery& q = feed.query;

  const std::string kind = params.text("feed").value_or("normal");
  if (kind == "longpoll") {
    feed.longpoll = true;
  } else if (kind != "normal") {
    throw bad_request("feed=" + kind + " is not supported by this server (use normal or longpoll)");
  }
  if (auto since = params.text("since")) {
    if (*since == "now") {
      feed.since_now = true;
    } else {
      q.since = parse_since(*since);
    }
  }
  q.limit = params.integer("limit").value_or(-1);
  if (q.limit == 0) q.limit = 1;  // as CouchDB: limit=0 is treated as 1
  q.descending = params.flag("descending");
  const std::string style = params.text("style").value_or("main_only");
  if (style != "main_only" && style != "all_docs") throw bad_request("Invalid style: " + style);
  q.all_leaves = style == "all_docs";
  q.include_docs = params.flag("include_docs");
  q.render.conflicts = params.flag("conflicts");
  q.render.attachments = params.flag("attachments");

  if (auto filter = params.text("filter")) {
    if (*filter != "_doc_ids") throw bad_request("filter " + *filter + " is not supported by this server");
    json ids;
    if (post_body.is_object() && post_body.contains("doc_ids")) {
      ids = post_body["doc_ids"];
    } else if (auto param = params.json("doc_ids")) {
      ids = *param;
    }
    if (!ids.is_array()) throw bad_request("filter=_doc_ids needs a doc_ids array");
    q.doc_ids.emplace();
    for (const auto& id : ids) {
      if (!id.is_string()) throw bad_request("doc_ids must hold strings");
      q.doc_ids->insert(id.get<std::string>());
    }
  }

  feed.heartbeat = duration_param(params, "heartbeat", kDefaultHeartbeat);
  if (feed.heartbeat && feed.heartbeat->count() == 0) feed.heartbeat.reset();
  // A heartbeat of a few ms would turn the wait into a busy loop of newlines.
  if (feed.heartbeat) feed.heartbeat = std::max(*feed.heartbeat, kMinHeartbeat);
  feed.timeout = duration_param(params, "timeout", kDefaultTimeout);
  return feed;
}

void serve_changes(SqliteStore& store, ChangeNotifier& notifier, const std::string& db, FeedRequest feed,
                   httplib::Response& res, AnswerObserver on_answer) {
  // The version is taken before the read: a commit after it either is in the read or wakes the wait.
  uint64_t version = notifier.version(db);
  auto reader = std::make_shared<FeedReader>(FeedReader{store, db, std::move(feed)});
  auto page = reader->read();
  if (!page) throw db_not_found();
  const FeedRequest& f = reader->feed;
  if (!f.longpoll || page->count > 0 || f.query.descending) {
    const std::string answer = page->json();
    if (on_answer) on_answer(answer);
    return send_couch_json(res, 200, answer);
  }

  const auto now = Clock::now();
  const Clock::time_point deadline = f.timeout ? now + *f.timeout : f.heartbeat ? now + kForever : now + kDefaultTimeout;
  const milliseconds newline_every = std::min(f.heartbeat.value_or(kLivenessInterval), kLivenessInterval);

  res.status = 200;
  res.set_header("Cache-Control", "no-store");
  // Called by httplib after this handler returns, on the same worker thread, while the connection is open.
  res.set_chunked_content_provider(
      kStreamedType, [reader, &notifier, version, deadline, newline_every, on_answer = std::move(on_answer)](
                         size_t, httplib::DataSink& sink) mutable {
        try {
          for (;;) {
            const auto until = std::min(deadline, Clock::now() + newline_every);
            const bool changed = notifier.wait(reader->db, version, until);
            const bool finished = notifier.stopping() || Clock::now() >= deadline;
            if (changed || finished) {
              version = notifier.version(reader->db);
              auto page = reader->read();
              if (!page || page->count > 0 || finished) {
                const std::string answer = page ? page->json() : reader->empty_answer();
                if (on_answer) on_answer(answer);
                sink.write(answer.data(), answer.size());
                sink.done();
                return true;
              }
              continue;  // changes, but none that pass the doc_ids filter
            }
            if (!sink.write("\n", 1)) return false;  // the client has gone
          }
        } catch (const std::exception& e) {
          // Too late for an error status: log it and end the response early, which the client sees as failed.
          log_line(std::string("longpoll _changes on ") + reader->db + ": " + e.what());
          return false;
        }
      });
}

}  // namespace steward::server::couch
