// Helpers for the store tests: a temporary folder, file surgery, and a store's contents as one value.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/doc_store.hpp"
#include "../support/temp_dir.hpp"

namespace steward::store::testing {

using steward::testing::TempDir;

// The kind of StoreError that f throws (a test failure if it throws none).
StoreError::Kind kind_of(const std::function<void()>& f);

// Every live document, in _id order, as one JSON array (compare two stores with ==).
nlohmann::json contents(const DocStore& store);

uint64_t file_size(const std::string& path);
void truncate_file(const std::string& path, uint64_t size);
void flip_byte(const std::string& path, uint64_t offset);
void append_bytes(const std::string& path, const std::string& bytes);
void copy_file(const std::string& from, const std::string& to);
// Copies the regular files of one folder into another (created if needed).
void copy_folder(const std::string& from, const std::string& to);

// A realistic visit document of about 400 bytes of body.
nlohmann::json visit_doc(int n);

// Leaves as "rev" or "rev deleted", to compare lists of them.
std::vector<std::string> leaf_strs(const std::vector<sync::Leaf>& leaves);

// Pieces of strings: plain text, what must be escaped, Chinese and emoji, and byte sequences that are not UTF-8
// (a lone continuation byte, overlong forms, surrogates, beyond U+10FFFF, cut short).
extern const std::vector<std::string> kJsonStringPieces;
// A random JSON value of every kind, nested; its strings made of kJsonStringPieces, only those nlohmann can
// write if valid_only.
nlohmann::json random_json(std::mt19937& rng, int depth, bool valid_only);

}  // namespace steward::store::testing
