// Publication layout (publication.h): the entry point and the furniture's element tree; the
// composer itself is compose.cpp (placement), publication_furniture.cpp and invariants.cpp (compose.h).
#include "layout/publication.h"

#include "layout/compose.h"

namespace trang::layout {

using compose::Furniture;
using compose::kFurnitureCount;
using compose::kFurnitureNames;
using model::Kind;
using model::Node;

model::Article publication_furniture(const model::Publication& pub) {
  model::Article a;
  a.file = pub.file;
  a.base_dir = pub.base_dir;
  a.lang = pub.lang;
  a.meta.date = pub.date;
  using namespace compose;
  auto node = [&](Furniture f, Kind k) {
    Node n;
    n.kind = k;
    n.name = kFurnitureNames[f];
    n.index = f;
    n.pos = SourcePos{pub.file};
    return n;
  };
  a.root = node(kPublication, Kind::Article);
  Node mast = node(kMasthead, Kind::Box);
  mast.children.push_back(node(kMastheadTitle, Kind::Paragraph));
  mast.children.push_back(node(kMastheadTagline, Kind::Paragraph));
  mast.children.push_back(node(kMastheadIssue, Kind::Paragraph));
  a.root.children.push_back(std::move(mast));
  Node contents = node(kContents, Kind::Box);
  contents.children.push_back(node(kContentsTitle, Kind::Paragraph));
  contents.children.push_back(node(kContentsEntry, Kind::Paragraph));
  a.root.children.push_back(std::move(contents));
  a.root.children.push_back(node(kJumpTo, Kind::Paragraph));
  a.root.children.push_back(node(kJumpFrom, Kind::Paragraph));
  a.root.children.push_back(node(kContinuedHead, Kind::Paragraph));
  a.node_count = kFurnitureCount;
  return a;
}

PageTree layout_publication(const model::Publication& pub, const std::vector<PublicationPiece>& pieces,
                            const model::Article& furniture, const style::StyledDocument& furniture_styles,
                            std::shared_ptr<const image::Image> masthead, text::FontCache& fonts,
                            const Options& options, Diagnostics& diags) {
  if (furniture_styles.styles.size() < kFurnitureCount) {
    diags.error({pub.file}, "internal: the publication's furniture has no styles");
    return {};
  }
  compose::Composer c(pub, pieces, furniture, furniture_styles, masthead, fonts, options, diags);
  return c.run();
}

std::vector<std::string> composition_faults(const PageTree& tree) { return compose::faults(tree); }

}  // namespace trang::layout
