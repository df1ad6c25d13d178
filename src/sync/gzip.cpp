#include "sync/gzip.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace steward::sync {

std::string gzip_compress(std::string_view data, int level) {
  const std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)> compressor(
      libdeflate_alloc_compressor(std::clamp(level, 1, 12)), &libdeflate_free_compressor);
  if (!compressor) throw std::runtime_error("gzip: out of memory for a compressor");
  std::string out;
  out.resize(libdeflate_gzip_compress_bound(compressor.get(), data.size()));
  const size_t written = libdeflate_gzip_compress(compressor.get(), data.data(), data.size(), out.data(), out.size());
  if (written == 0) throw std::runtime_error("gzip: the output did not fit its bound");
  out.resize(written);
  return out;
}

}  // namespace steward::sync
