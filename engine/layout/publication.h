// Publication layout: several articles of an issue on one page grid, under a masthead.
//
// Page 1 carries the masthead and, at its foot, a contents box. Each article becomes a module,
// a rectangle of whole grid columns with its head across it (layout_article poured into
// frames, Options::frames), placed where the page's columns are free, in the publication's
// order (compose.h). An article that does not fit its area (`area="55%"`), or that must make
// way for a `new-page` article, ends with a jump line ("Tiếp theo trang 7") and continues on a
// later page under a continuation head ("Tiếp theo từ trang 1"), in a gap it fits or after
// everything else. Running heads and folios come from the @page margin boxes, with the
// section of the first article on each page as string(section).
// See docs/article-model.md ("Publications") and docs/stylesheets.md ("Publications").
#pragma once

#include <vector>

#include "layout/layout.h"
#include "model/publication.h"

namespace trang::layout {

// One article of the issue, read and styled.
struct PublicationPiece {
  const model::PublicationEntry* entry = nullptr;
  const model::Article* article = nullptr;
  const style::StyledDocument* styles = nullptr;
  const Resources* resources = nullptr;
};

// The names of the publication's own elements, which stylesheets style like any element:
// publication (the root), masthead, masthead-title, masthead-tagline, masthead-issue,
// contents, contents-title, contents-entry, jump-to, jump-from, continued-head.
// The synthetic document to resolve their styles on (style::resolve_styles).
model::Article publication_furniture(const model::Publication& pub);

// Lays the issue out: each page a frame holding the furniture and, as groups, the frames the
// articles were laid out into. `masthead`: the masthead's picture, or null.
PageTree layout_publication(const model::Publication& pub, const std::vector<PublicationPiece>& pieces,
                            const model::Article& furniture, const style::StyledDocument& furniture_styles,
                            std::shared_ptr<const image::Image> masthead, text::FontCache& fonts,
                            const Options& options, Diagnostics& diags);

// What the composition of `tree` breaks of the composer's invariants: modules outside the
// text area or overlapping, items outside their module, pictures on a page without their
// article's text. Empty when all hold; layout_publication checks this on every run and
// treats a fault as an internal error.
std::vector<std::string> composition_faults(const PageTree& tree);

}  // namespace trang::layout
