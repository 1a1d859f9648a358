// Fuzz target: the XML article reader (model::parse_article) on arbitrary bytes.
// Images are resolved against a folder that holds none, so every <image> is an error path.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  trang::Diagnostics diags;
  trang::model::Article article;
  trang::model::parse_article(std::string_view(reinterpret_cast<const char*>(data), size),
                              "fuzz.xml", "/nonexistent-fuzz-dir", article, diags);
  for (const trang::Diagnostic& d : diags.all()) (void)d.format();
  (void)article.headline();
  return 0;
}
