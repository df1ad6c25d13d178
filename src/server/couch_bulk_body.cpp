#include "server/couch_bulk_body.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>

#include "server/couch_error.hpp"
#include "server/couch_request.hpp"
#include "sync/json_limits.hpp"

namespace steward::server::couch {

using nlohmann::json;
namespace dom = simdjson::dom;

namespace {

using Member = std::pair<std::string_view, dom::element>;

// An object's members in nlohmann's order (its objects are std::maps of std::string: bytewise); false when a
// name repeats.
bool sorted_members(const dom::object& object, std::vector<Member>& out) {
  out.clear();
  for (const dom::key_value_pair field : object) out.emplace_back(field.key, field.value);
  std::sort(out.begin(), out.end(), [](const Member& a, const Member& b) { return a.first < b.first; });
  return std::adjacent_find(out.begin(), out.end(), [](const Member& a, const Member& b) {
           return a.first == b.first;
         }) == out.end();
}

template <typename Number>
void append_number(std::string& out, Number n) {
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
  out.append(buf, end);
}

// nlohmann's dump() of what nlohmann::json::parse would make of the element's text, appended; false where an object
// repeats a member (nlohmann keeps the last one; the caller then takes nlohmann's path).
bool append_canonical(const dom::element& element, std::string& out) {
  switch (element.type()) {
    case dom::element_type::OBJECT: {
      std::vector<Member> members;
      if (!sorted_members(dom::object(element), members)) return false;
      out += '{';
      for (size_t i = 0; i < members.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, members[i].first, true);
        out += ':';
        if (!append_canonical(members[i].second, out)) return false;
      }
      out += '}';
      return true;
    }
    case dom::element_type::ARRAY: {
      out += '[';
      bool first = true;
      for (const dom::element item : dom::array(element)) {
        if (!first) out += ',';
        first = false;
        if (!append_canonical(item, out)) return false;
      }
      out += ']';
      return true;
    }
    case dom::element_type::STRING:
      append_json_string(out, std::string_view(element), true);
      return true;
    case dom::element_type::INT64:
      append_number(out, int64_t(element));
      return true;
    case dom::element_type::UINT64:
      append_number(out, uint64_t(element));
      return true;
    case dom::element_type::DOUBLE:
      out += json(double(element)).dump();  // nlohmann's own float format (1.0, 1e+20, -0.0)
      return true;
    case dom::element_type::BOOL:
      out += bool(element) ? "true" : "false";
      return true;
    case dom::element_type::NULL_VALUE:
      out += "null";
      return true;
  }
  return false;
}

// What nlohmann's parser makes of the same text: a repeated member keeps its last value, a non-negative
// integer is unsigned.
json to_nlohmann(const dom::element& element) {
  switch (element.type()) {
    case dom::element_type::OBJECT: {
      json out = json::object();
      for (const dom::key_value_pair field : dom::object(element)) out[std::string(field.key)] = to_nlohmann(field.value);
      return out;
    }
    case dom::element_type::ARRAY: {
      json out = json::array();
      for (const dom::element item : dom::array(element)) out.push_back(to_nlohmann(item));
      return out;
    }
    case dom::element_type::STRING:
      return std::string(std::string_view(element));
    case dom::element_type::INT64: {
      const auto n = int64_t(element);
      return n >= 0 ? json(uint64_t(n)) : json(n);
    }
    case dom::element_type::UINT64:
      return uint64_t(element);
    case dom::element_type::DOUBLE:
      return double(element);
    case dom::element_type::BOOL:
      return bool(element);
    case dom::element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

bool is_local_id(const json& doc) {
  auto id = doc.is_object() ? doc.find("_id") : doc.end();
  return id != doc.end() && id->is_string() && id->get_ref<const std::string&>().starts_with("_local/");
}

// Both parsers end each document here: an id for one without, and CouchDB's id rules.
void add_document(BulkDocsBody& body, IncomingDoc&& doc) {
  if (!doc.id) {
    if (!body.new_edits) throw bad_request("Document id must be provided with new_edits=false");
    doc.id = random_uuid();
  }
  check_doc_id(*doc.id);
  std::string id = *doc.id;
  body.items.push_back({std::move(id), std::move(doc), std::nullopt});
}

void add_nlohmann_document(BulkDocsBody& body, json&& doc) {
  if (is_local_id(doc)) {
    std::string id = doc["_id"].get<std::string>();
    body.items.push_back({std::move(id), {}, std::move(doc)});
    return;
  }
  add_document(body, IncomingDoc::parse(std::move(doc)));
}

// One document of the array; nlohmann's path where this one has something it does not handle.
void add_simdjson_document(BulkDocsBody& body, const dom::element& element, std::vector<Member>& members) {
  if (element.type() != dom::element_type::OBJECT || !sorted_members(dom::object(element), members)) {
    return add_nlohmann_document(body, to_nlohmann(element));
  }
  for (const auto& [key, value] : members) {
    if (key == "_id" && value.type() == dom::element_type::STRING && std::string_view(value).starts_with("_local/")) {
      return add_nlohmann_document(body, to_nlohmann(element));
    }
  }
  IncomingDoc doc;
  doc.body = "{";
  for (const auto& [key, value] : members) {
    if (key.starts_with('_')) {
      doc.take_special(std::string(key), to_nlohmann(value));
      continue;
    }
    if (doc.body.size() > 1) doc.body += ',';
    append_json_string(doc.body, key, true);
    doc.body += ':';
    if (!append_canonical(value, doc.body)) return add_nlohmann_document(body, to_nlohmann(element));
  }
  doc.body += '}';
  doc.check_members();
  add_document(body, std::move(doc));
}

}  // namespace

BulkDocsBody parse_bulk_docs_nlohmann(std::string_view text) {
  json body = body_json(text);
  if (!body.is_object() || !body.contains("docs") || !body["docs"].is_array()) {
    throw bad_request("POST body must include `docs` parameter.");
  }
  BulkDocsBody out;
  out.new_edits = body.value("new_edits", true);
  out.items.reserve(body["docs"].size());
  for (json& doc : body["docs"]) add_nlohmann_document(out, std::move(doc));
  return out;
}

BulkDocsBody parse_bulk_docs(std::string_view text) {
  dom::parser parser;
  // simdjson refuses nesting deeper than its max_depth itself, so the text needs no scan of its own for
  // sync::kMaxJsonDepth: what goes deeper is left to nlohmann's path below, which says why.
  if (parser.allocate(text.size(), sync::kMaxJsonDepth)) return parse_bulk_docs_nlohmann(text);
  dom::element root;
  dom::object top;
  // Anything unexpected at the top (not JSON, nested too deep, a number simdjson does not hold, no docs array, a
  // repeated member) is left to nlohmann, which refuses or reads it as it always has.
  if (parser.parse(text.data(), text.size()).get(root) || root.get_object().get(top)) {
    return parse_bulk_docs_nlohmann(text);
  }
  std::vector<Member> members;
  if (!sorted_members(top, members)) return parse_bulk_docs_nlohmann(text);
  BulkDocsBody out;
  std::optional<dom::array> docs;
  for (const auto& [key, value] : members) {
    if (key == "docs" && value.type() == dom::element_type::ARRAY) docs = dom::array(value);
    if (key == "new_edits") {
      if (value.type() != dom::element_type::BOOL) return parse_bulk_docs_nlohmann(text);
      out.new_edits = bool(value);
    }
  }
  if (!docs) return parse_bulk_docs_nlohmann(text);

  out.items.reserve(docs->size());
  for (const dom::element doc : *docs) add_simdjson_document(out, doc, members);
  return out;
}

}  // namespace steward::server::couch
