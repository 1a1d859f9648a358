// One render, from an article file to PDF bytes: every stage in order. The CLI (render, and
// later batch and watch) and the end-to-end tests call this; it prints nothing.
#pragma once

#include <optional>
#include <string>

#include "core/core.h"

namespace trang {

struct RenderRequest {
  std::string article;     // path of the article XML
  std::string stylesheet;  // optional user stylesheet, cascaded over the built-in default
  int max_pages = 500;
  bool want_dump = false;  // fill RenderResult::layout_dump
};

struct RenderResult {
  std::optional<std::string> pdf;  // nullopt when an error was reported
  std::string layout_dump;
  int pages = 0;
};

RenderResult render(const RenderRequest& request, Diagnostics& diags);

// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
// reader never sees a partial file and a failed write leaves nothing behind.
bool write_file_atomically(const std::string& path, const std::string& bytes, Diagnostics& diags);

}  // namespace trang
