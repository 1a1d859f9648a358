// Reads the publication document (see publication.h and docs/article-model.md).
#include "model/publication.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>

#include "core/confine.h"
#include "model/xml_input.h"

namespace trang::model {
namespace {

constexpr std::array kPublicationElements = {"title", "issue", "date", "masthead", "article"};
constexpr std::array kEntryAttributes = {"src", "area", "columns", "new-page", "section", "id",
                                         "class"};

size_t distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

template <size_t N>
std::string did_you_mean(std::string_view name, const std::array<const char*, N>& names,
                         const char* open, const char* close) {
  std::string best;
  size_t best_d = 3;
  for (const char* n : names)
    if (size_t d = distance(name, n); d < best_d) { best_d = d; best = n; }
  return best.empty() ? std::string() : "did you mean " + std::string(open) + best + close + "?";
}

class PublicationReader {
 public:
  PublicationReader(std::string_view xml, const std::string& file, const std::string& base_dir,
                    Publication& out, Diagnostics& diags)
      : xml_(xml), lines_(xml), file_(file), base_dir_(base_dir), out_(out), diags_(diags) {}

  bool run() {
    int before = diags_.error_count();
    pugi::xml_document doc;
    if (!xml::parse(xml_, file_, lines_, doc, diags_)) return false;
    pugi::xml_node root = doc.document_element();
    if (!root || std::string_view(root.name()) != "publication") {
      diags_.error(root ? pos(root) : SourcePos{file_, 1, 1}, "the root element must be <publication>",
                   root ? "found <" + std::string(root.name()) + ">" : "the file has no elements");
      return false;
    }
    if (auto lang = root.attribute("xml:lang")) out_.lang = lang.value();
    if (out_.lang.empty()) out_.lang = "vi";
    for (const auto& c : root.children()) {
      if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) &&
          !xml::collapse_ws(c.value()).empty()) {
        diags_.error(pos(c), "text directly inside <publication> is not allowed",
                     "put it in <title>, <issue>, <date> or <masthead>");
        continue;
      }
      if (c.type() != pugi::node_element) continue;
      std::string_view name = c.name();
      if (name == "title") out_.title = xml::text_of(c);
      else if (name == "issue") out_.issue = xml::text_of(c);
      else if (name == "date") out_.date = xml::text_of(c);
      else if (name == "masthead") read_masthead(c);
      else if (name == "article") read_entry(c);
      else
        diags_.error(pos(c), "unknown element <" + std::string(name) + "> in a publication",
                     did_you_mean(name, kPublicationElements, "<", ">"));
    }
    if (out_.title.empty()) diags_.warning(pos(root), "the publication has no <title>");
    if (out_.articles.empty() && diags_.error_count() == before)
      diags_.error(pos(root), "the publication lists no articles",
                   "add <article src=\"story.xml\"/> entries");
    return diags_.error_count() == before;
  }

 private:
  SourcePos pos(const pugi::xml_node& n) const { return xml::position(xml_, lines_, file_, n); }

  // A file the publication names: relative, inside the publication's folder tree.
  bool resolve(const pugi::xml_node& at, const std::string& written, const char* what,
               std::string& resolved) {
    ConfinedPath c = confine_path(written, base_dir_, {base_dir_});
    switch (c.status) {
      case ConfinedPath::Status::Ok: resolved = c.path; return true;
      case ConfinedPath::Status::Missing:
        diags_.error(pos(at), std::string(what) + " file '" + written + "' not found",
                     "looked for " + c.path);
        return false;
      case ConfinedPath::Status::Outside:
        diags_.error(pos(at), std::string(what) + " '" + written +
                                  "' is outside the publication's folder",
                     "keep the publication's articles and images in its folder tree");
        return false;
      default:
        diags_.error(pos(at), std::string(what) + " '" + written + "' " + confine_message(c.status));
        return false;
    }
  }

  void read_masthead(const pugi::xml_node& m) {
    out_.masthead_pos = pos(m);
    std::string text = xml::text_of(m);
    if (auto t = m.attribute("tagline")) out_.tagline = xml::collapse_ws(to_nfc(t.value()));
    else out_.tagline = text;
    if (auto src = m.attribute("src")) {
      std::string written = src.value();
      if (resolve(m, written, "masthead image", out_.masthead_image)) {
        if (auto alt = m.attribute("alt")) out_.masthead_alt = to_nfc(alt.value());
        else
          diags_.warning(pos(m), "<masthead src=\"" + written + "\"> has no alt text",
                         "describe the picture in alt=\"...\"");
      }
    }
  }

  void read_entry(const pugi::xml_node& a) {
    PublicationEntry e;
    e.pos = pos(a);
    for (const auto& attr : a.attributes()) {
      std::string_view n = attr.name();
      if (std::find(kEntryAttributes.begin(), kEntryAttributes.end(), n) == kEntryAttributes.end())
        diags_.warning(pos(a), "unknown attribute '" + std::string(n) + "' on <article> (ignored)",
                       did_you_mean(n, kEntryAttributes, "'", "'"));
    }
    auto src = a.attribute("src");
    if (!src || !*src.value()) {
      diags_.error(pos(a), "<article> in a publication needs a src attribute",
                   "<article src=\"story.xml\"/>");
      return;
    }
    e.src = src.value();
    if (!resolve(a, e.src, "article", e.path)) return;
    for (const PublicationEntry& before : out_.articles)
      if (before.path == e.path) {
        diags_.warning(e.pos, "article '" + e.src + "' is listed twice (first at line " +
                                  std::to_string(before.pos.line) + "); it will print twice",
                       "remove one of the entries");
        break;
      }
    if (auto v = a.attribute("new-page")) {
      std::string_view s = v.value();
      if (s == "true" || s == "yes") e.new_page = true;
      else if (s != "false" && s != "no")
        diags_.error(pos(a), "new-page must be true or false, not '" + std::string(s) + "'");
    }
    if (auto v = a.attribute("columns")) {
      char* end = nullptr;
      long n = std::strtol(v.value(), &end, 10);
      if (end == v.value() || *end || n < 1 || n > 6)
        diags_.error(pos(a), "columns must be a whole number from 1 to 6, not '" +
                                 std::string(v.value()) + "'");
      else e.columns = static_cast<int>(n);
    }
    if (auto v = a.attribute("area")) {
      std::string s = v.value();
      char* end = nullptr;
      double pct = std::strtod(s.c_str(), &end);
      if (s == "rest") {
        e.area = 1;
        e.area_rest = true;
      } else if (end != s.c_str() && std::string_view(end) == "%" && pct >= 10 && pct <= 100) {
        e.area = pct / 100;
      } else {
        diags_.error(pos(a), "area must be a percentage of the page from 10% to 100%, or rest, not '" +
                                 s + "'", "area=\"50%\"");
      }
    }
    if (auto v = a.attribute("section")) e.section = xml::collapse_ws(to_nfc(v.value()));
    out_.articles.push_back(std::move(e));
  }

  std::string_view xml_;
  LineIndex lines_;
  const std::string& file_;
  std::string base_dir_;
  Publication& out_;
  Diagnostics& diags_;
};

}  // namespace

bool parse_publication(std::string_view xml, const std::string& file, const std::string& base_dir,
                       Publication& out, Diagnostics& diags) {
  out = Publication{};
  out.file = file;
  out.base_dir = base_dir.empty() ? "." : base_dir;
  return PublicationReader(xml, file, out.base_dir, out, diags).run();
}

bool read_publication(const std::string& path, Publication& out, Diagnostics& diags) {
  xml::File f;
  if (!xml::read_file(path, f, diags)) return false;
  return parse_publication(f.text, path, f.dir, out, diags);
}

void check_article_ids(const Publication& pub, const std::vector<Article>& articles,
                       Diagnostics& diags) {
  for (size_t i = 0; i < articles.size() && i < pub.articles.size(); ++i) {
    const std::string& id = articles[i].meta.id;
    if (id.empty()) continue;
    for (size_t j = 0; j < i; ++j) {
      if (articles[j].meta.id != id) continue;
      if (pub.articles[j].path == pub.articles[i].path) break;  // listed twice: said already
      diags.warning(pub.articles[i].pos,
                    "articles '" + pub.articles[i].src + "' and '" + pub.articles[j].src +
                        "' (line " + std::to_string(pub.articles[j].pos.line) +
                        ") have the same id '" + id + "'",
                    "two versions of one story? keep the one to print");
      break;
    }
  }
}

std::string sniff_root_element(const std::string& path) {
  // Only a regular file is read: a FIFO would block, a device never end (docs/security.md).
  // The reader reports anything else.
  std::string head;
  if (read_regular_file(path, 64 << 10, head, /*head_only=*/true) != ReadStatus::Ok) return {};
  return xml::root_element_name(head);
}

bool read_any_article(const std::string& path, Article& out, Diagnostics& diags,
                      const std::vector<std::string>& assets,
                      const std::optional<std::string>& root) {
  if ((root ? *root : sniff_root_element(path)) == "nitf") return read_nitf(path, out, diags, assets);
  return read_article(path, out, diags, assets);
}

}  // namespace trang::model
