// Fuzz target: a whole render from an in-memory article (model -> style -> text -> layout ->
// pdf) with the built-in default stylesheet, at most 20 pages. Slow per input; it finds what
// the stage fuzzers cannot: layout of strange trees, text no font has, huge words.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "image/image.h"
#include "layout/layout.h"
#include "model/model.h"
#include "pdf/pdf.h"
#include "style/style.h"
#include "text/text.h"

namespace {
struct Fixed {
  trang::style::Stylesheet sheet;
  trang::text::FontCache fonts;
  Fixed() {
    trang::Diagnostics d;
    sheet = trang::style::parse_stylesheet(trang::style::default_stylesheet_text(),
                                           "<default stylesheet>", d);
  }
};
Fixed& fixed() {
  static Fixed f;
  return f;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // keep runs fast; size limits have their own tests
  trang::Diagnostics diags;
  trang::model::Article article;
  if (!trang::model::parse_article(std::string_view(reinterpret_cast<const char*>(data), size),
                                   "fuzz.xml", "/nonexistent-fuzz-dir", article, diags))
    return 0;
  Fixed& f = fixed();
  std::vector<const trang::style::Stylesheet*> order{&f.sheet};
  trang::style::StyledDocument styled = trang::style::resolve_styles(article, order, diags);
  trang::layout::Resources res;
  trang::layout::Options lopt;
  lopt.max_pages = 20;
  trang::layout::PageTree tree =
      trang::layout::layout_article(article, styled, res, f.fonts, lopt, diags);
  if (diags.has_errors()) return 0;
  trang::pdf::Options popt;
  (void)trang::pdf::write_pdf(tree, popt, diags, nullptr);
  return 0;
}
