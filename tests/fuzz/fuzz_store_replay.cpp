// libFuzzer target: the tablet store opening a segment file of arbitrary bytes (a torn write, a damaged disk, a
// file from elsewhere). Opening must either succeed, dropping what it cannot read, or refuse with a StoreError;
// whatever it opened must then be readable and writable.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "store/doc_store.hpp"
#include "store/files.hpp"

using namespace steward;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::filesystem::path dir = [] {
    char name[] = "/tmp/steward-fuzz-store-XXXXXX";
    return std::filesystem::path(mkdtemp(name));
  }();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / store::files::segment_name(1), std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    store::DocStore s = store::DocStore::open(dir.string());
    s.for_each([](const nlohmann::json& doc) {
      if (!doc.is_object()) std::abort();
    });
    (void)s.changes_since(0, 100);
    (void)s.stats();
    s.put({{"_id", "visit:after"}, {"name", "打开之后"}});
    if (!s.get("visit:after")) std::abort();
  } catch (const store::StoreError&) {
  }
  return 0;
}
