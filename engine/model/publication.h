// The publication document: an issue of a newsletter, listing its articles by file.
// See docs/article-model.md ("Publications") and docs/publication.rng.
//
//   <publication xml:lang="vi">
//     <title>Bản tin Phường Ninh Kiều</title>
//     <issue>Số 12</issue>
//     <date>2025-11-20</date>
//     <masthead tagline="Thông tin của Đảng bộ, chính quyền và nhân dân"/>
//     <article src="articles/can-tho.xml" area="55%" section="Thời sự"/>
//     <article src="articles/cho-noi.nitf.xml" new-page="true" columns="2"/>
//   </publication>
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/core.h"
#include "model/model.h"

namespace trang::model {

// One <article> entry of a publication: which file, and where it goes on the page grid.
struct PublicationEntry {
  std::string src;       // as written, relative to the publication's folder
  std::string path;      // resolved (canonical), inside the publication's folder tree
  SourcePos pos;         // of the <article> entry, for messages about the file
  bool new_page = false;  // new-page="true": starts at the top of a new page
  int columns = 0;        // columns="N": its own column count; 0 = the page grid's
  // area="N%": the article may take this share of the page's column area on the page it
  // starts on, and jumps to a continuation when it needs more; area="rest": up to the foot
  // of that page. Negative = no area (the article flows on over as many pages as it needs).
  double area = -1;       // 0..1, or 1 for "rest" with area_rest set
  bool area_rest = false;
  std::string section;    // section="...": running head; default: the article's own
};

struct Publication {
  std::string file;      // path as given
  std::string base_dir;  // the publication's folder: every file it names is inside it
  std::string lang = "vi";
  std::string title;     // <title>: the name on the masthead
  std::string issue;     // <issue>: "Số 12"
  std::string date;      // <date>: ISO 8601 as written
  std::string tagline;   // <masthead tagline="...">, or the text of <masthead>
  std::string masthead_image;  // <masthead src="...">: resolved path; empty = set the title
  std::string masthead_alt;
  SourcePos masthead_pos;
  std::vector<PublicationEntry> articles;
};

// Reads a publication file. Errors name file:line:col: unknown elements, bad attribute
// values, article files that are missing or outside the publication's folder tree; an
// article file listed twice is a warning.
bool read_publication(const std::string& path, Publication& out, Diagnostics& diags);
bool parse_publication(std::string_view xml, const std::string& file, const std::string& base_dir,
                       Publication& out, Diagnostics& diags);

// Warns, at the second entry, when two articles of `pub` (read into `articles`, in the same
// order) have the same id (a native article's id, an NITF doc-id): usually two versions of one
// story. An entry listed twice is warned about by the reader already.
void check_article_ids(const Publication& pub, const std::vector<Article>& articles,
                       Diagnostics& diags);

// The root element's name of an XML file ("article", "nitf", "publication"); empty when the
// file cannot be read or has no element. For choosing a reader, not for checking the file.
std::string sniff_root_element(const std::string& path);

// Reads an article in any format trang knows, chosen by the root element: <article> (the
// native model) or <nitf> (IPTC NITF 3.x). `assets`: as for read_article. `root`: what
// sniff_root_element said of the file, when the caller asked already.
bool read_any_article(const std::string& path, Article& out, Diagnostics& diags,
                      const std::vector<std::string>& assets = {},
                      const std::optional<std::string>& root = std::nullopt);

// Reads an IPTC NITF 3.x document into the article model (docs/article-model.md, "NITF").
// Elements the model has no place for keep their text and are reported as warnings.
bool read_nitf(const std::string& path, Article& out, Diagnostics& diags,
               const std::vector<std::string>& assets = {});
bool parse_nitf(std::string_view xml, const std::string& file, const std::string& base_dir,
                Article& out, Diagnostics& diags, const std::vector<std::string>& assets = {});

}  // namespace trang::model
