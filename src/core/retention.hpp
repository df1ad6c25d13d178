// Retention on the tablet: visitor records (and the access logs kept with them) older than the site's
// retention_days leave the tablet once they are synced; the server keeps them. Pure rules: which documents are
// past retention, judged from the stored JSON so the same rule serves the purge and the pull that must not bring
// purged records back.
#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

namespace steward::core {

// The moment before which records are past retention; 0 (nothing is) when retention_days <= 0.
int64_t retention_cutoff_ms(int64_t now_ms, int retention_days);

// A document of the visits database past retention, by its id and body (with or without its metadata members): a
// visit that arrived before the cutoff, or an access log made before it. Any other document (the site, a tombstone
// without a body) never is.
bool past_retention(std::string_view id, const nlohmann::json& body, int64_t cutoff_ms);

}  // namespace steward::core
