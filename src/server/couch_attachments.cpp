#include "server/couch_attachments.hpp"

#include <openssl/evp.h>

#include "server/couch_error.hpp"

namespace steward::server::couch {

using nlohmann::json;

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // + the NUL EVP_EncodeBlock writes
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()));
  out.resize(size_t(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  if (text.empty()) return std::string();
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes: take them off again.
  size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  out.resize(size_t(n) - padding);
  return out;
}

std::string md5_digest(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_md5(), nullptr);
  return "md5-" + base64_encode(std::string_view(reinterpret_cast<const char*>(md), len));
}

namespace {

DocError missing_stub(const std::string& doc_id, const std::string& name) {
  return {412, "missing_stub", "Invalid attachment stub in " + doc_id + " for " + name};
}

std::string content_type_of(const json& entry) {
  auto it = entry.find("content_type");
  return it != entry.end() && it->is_string() ? it->get<std::string>() : "application/octet-stream";
}

const json* parent_stub(const std::vector<json>& parents, const std::string& name) {
  for (const json& stubs : parents) {
    auto it = stubs.find(name);
    if (it != stubs.end()) return &*it;
  }
  return nullptr;
}

}  // namespace

json absorb_attachments(CouchTables& tables, int64_t db, const std::string& doc_id, const json& incoming,
                        uint64_t revpos, const std::vector<json>& parents, bool replicated) {
  if (!incoming.is_object()) throw bad_request("_attachments must be an object");
  json stored = json::object();
  for (const auto& [name, entry] : incoming.items()) {
    if (!entry.is_object()) throw bad_request("attachment " + name + " must be an object");
    if (auto data = entry.find("data"); data != entry.end()) {
      if (!data->is_string()) throw bad_request("attachment " + name + ": data must be a base64 string");
      auto bytes = base64_decode(data->get_ref<const std::string&>());
      if (!bytes) throw bad_request("Invalid attachment data for " + name);
      const std::string digest = md5_digest(*bytes);
      tables.save_attachment(db, digest, *bytes);
      auto given = entry.find("revpos");
      const bool keep = replicated && given != entry.end() && given->is_number_unsigned() && given->get<uint64_t>() >= 1;
      stored[name] = {{"content_type", content_type_of(entry)}, {"digest", digest},
                      {"length", bytes->size()}, {"revpos", keep ? given->get<uint64_t>() : revpos}, {"stub", true}};
      continue;
    }
    if (!entry.value("stub", false)) throw bad_request("attachment " + name + " has neither data nor stub");
    // A stub: the bytes must be here already, found by its digest or by name in a parent revision.
    const json* parent = parent_stub(parents, name);
    std::string digest;
    if (auto d = entry.find("digest"); d != entry.end() && d->is_string()) {
      digest = d->get<std::string>();
    } else if (parent) {
      digest = parent->value("digest", "");
    }
    if (digest.empty() || !tables.has_attachment(db, digest)) throw missing_stub(doc_id, name);
    const bool same_as_parent = parent && parent->value("digest", "") == digest;
    json stub = same_as_parent ? *parent : json::object();
    stub["digest"] = digest;
    stub["stub"] = true;
    if (entry.contains("content_type") || !stub.contains("content_type")) stub["content_type"] = content_type_of(entry);
    if (auto r = entry.find("revpos"); r != entry.end() && r->is_number_unsigned()) stub["revpos"] = *r;
    if (!stub.contains("revpos")) stub["revpos"] = revpos;
    if (!stub.contains("length")) {
      if (auto l = entry.find("length"); l != entry.end() && l->is_number_unsigned()) {
        stub["length"] = *l;
      } else {
        stub["length"] = tables.attachment(db, digest)->size();
      }
    }
    stored[name] = std::move(stub);
  }
  return stored;
}

json attachments_for_output(CouchTables& tables, int64_t db, const json& stubs, bool with_data) {
  if (!with_data) return stubs;
  json out = json::object();
  for (const auto& [name, stub] : stubs.items()) {
    const std::string digest = stub.value("digest", "");
    auto bytes = tables.attachment(db, digest);
    if (!bytes) throw CouchError(500, "internal_error", "attachment bytes missing for " + name);
    out[name] = {{"content_type", stub.value("content_type", "application/octet-stream")},
                 {"digest", digest},
                 {"revpos", stub.value("revpos", 1)},
                 {"data", base64_encode(*bytes)}};
  }
  return out;
}

}  // namespace steward::server::couch
