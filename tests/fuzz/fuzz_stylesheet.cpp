// Fuzz target: the stylesheet parser (style::parse_stylesheet) and the cascade over a fixed
// article (style::resolve_styles), so that every computed value the parser accepts is also
// resolved: clamps, units, page sizes, margin boxes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/model.h"
#include "style/style.h"

namespace {
constexpr std::string_view kArticle = R"(<?xml version="1.0" encoding="UTF-8"?>
<article xml:lang="vi" id="a1" class="news lead">
  <meta><section>Thời sự</section><date>2024-05-01</date><author>Sen Hồng</author></meta>
  <kicker>Cần Thơ</kicker><headline>Ban Chỉ đạo 35</headline><lead>Sáng <em>nay</em></lead>
  <byline>Tin, ảnh: Sen Hồng</byline>
  <body>
    <p class="first">Đồng chí <strong>Trần Văn Huyến</strong> <a href="https://x">phát biểu</a>.<br/>Hết.</p>
    <subhead>Tiêu đề</subhead><pullquote>Trích</pullquote>
    <list><item>một</item><item>hai</item></list>
    <box><box-title>Hộp</box-title><p>Chữ</p></box>
    <p>Đoạn cuối.</p>
  </body>
</article>)";

const trang::model::Article& article() {
  static trang::model::Article a = [] {
    trang::Diagnostics d;
    trang::model::Article out;
    trang::model::parse_article(kArticle, "fixed.xml", "/nonexistent-fuzz-dir", out, d);
    return out;
  }();
  return a;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  trang::Diagnostics diags;
  // A file in a folder that does not exist: @import and @font-face resolve to nothing.
  trang::style::Stylesheet sheet = trang::style::parse_stylesheet(
      std::string_view(reinterpret_cast<const char*>(data), size),
      "/nonexistent-fuzz-dir/fuzz.css", diags);
  std::vector<const trang::style::Stylesheet*> order{&sheet};
  trang::style::StyledDocument styled = trang::style::resolve_styles(article(), order, diags);
  (void)styled;
  for (const trang::Diagnostic& d : diags.all()) (void)d.format();
  return 0;
}
