// Loading a render's stylesheets (render_sheets.h), and preparing one for a whole batch.
#include "cli/render_sheets.h"

#include <algorithm>
#include <optional>

namespace trang {

namespace {

std::optional<std::string> read_text_file(const std::string& path, Diagnostics& diags) {
  std::string text;
  int error = 0;
  ReadStatus status = read_regular_file(path, 16u << 20, text, false, &error);
  if (status != ReadStatus::Ok) {
    diags.error({path}, status == ReadStatus::TooLarge ? "file is larger than 16 MiB; not a stylesheet"
                                                       : read_status_message(status, error));
    return std::nullopt;
  }
  return text;
}

}  // namespace

// @import-ed sheets and @font-face files are inputs too (watch and batch follow them). The
// built-in sheet is parsed once per process: a batch used to parse it for every article.
Sheets load_stylesheets(const RenderRequest& req, RenderResult& out, Diagnostics& diags) {
  if (req.prepared) {
    out.inputs.insert(out.inputs.end(), req.prepared->inputs.begin(), req.prepared->inputs.end());
    return req.prepared->sheets;
  }
  static const std::shared_ptr<const style::Stylesheet> builtin = [] {
    Diagnostics none;  // the built-in sheet is tested to parse cleanly
    return std::make_shared<const style::Stylesheet>(
        style::parse_stylesheet(style::default_stylesheet_text(), "<default stylesheet>", none));
  }();
  Sheets sheets{builtin};
  if (req.stylesheet.empty()) return sheets;
  out.inputs.push_back(req.stylesheet);
  auto css = read_text_file(req.stylesheet, diags);
  if (!css) return sheets;
  sheets.push_back(std::make_shared<const style::Stylesheet>(
      style::parse_stylesheet(*css, req.stylesheet, diags, req.article)));
  const std::vector<std::string>& read = style::stylesheet_files(*sheets.back());
  for (size_t i = 1; i < read.size(); ++i) out.inputs.push_back(read[i]);
  for (const style::FontFace& f : style::font_faces(*sheets.back()))
    for (const style::FontFace::Source& src : f.sources)
      if (!src.path.empty()) out.inputs.push_back(src.path);
  return sheets;
}

text::FontCache& prepare_fonts(const RenderRequest& req, const Sheets& sheets,
                               std::unique_ptr<text::FontCache>& own, Diagnostics& diags) {
  if (!req.fonts) own = std::make_unique<text::FontCache>();
  text::FontCache& fonts = req.fonts ? *req.fonts : *own;
  fonts.forget_declared_faces();
  std::vector<const style::Stylesheet*> declared;
  for (const auto& sheet : sheets) {
    declared.push_back(sheet.get());
    for (const style::FontFace& f : style::font_faces(*sheet)) {
      // CSS Fonts 4 §4.3: the first alternative of src that loads is used. A file that is
      // there but damaged is still an error: the designer meant that file.
      bool loaded = false;
      for (const style::FontFace::Source& src : f.sources) {
        std::string path = src.path.empty() ? fonts.local_face_file(src.local) : src.path;
        if (path.empty()) continue;
        loaded = fonts.add_face_file(f.family, f.weight, f.italic, path, src.pos, diags);
        break;
      }
      if (!loaded && std::all_of(f.sources.begin(), f.sources.end(),
                                 [](const auto& src) { return src.path.empty(); }))
        diags.warning("css-font-not-found", f.pos,
                      "no installed font matches the local() names of @font-face '" + f.family +
                          "' (face ignored)",
                      "local() takes a face's full name, e.g. local(\"Noto Serif Bold\"); "
                      "fc-list : fullname lists them");
    }
  }
  // A family name that matches nothing silently falls back to the catalogue's fonts: say so,
  // for the user's sheet (the built-in one names only catalogued families).
  if (sheets.size() > 1)
    style::check_font_families(*sheets.back(), declared,
                               [&](const std::string& f) { return fonts.has_family(f); },
                               [&] { return fonts.installed_families(); }, diags);
  return fonts;
}

std::shared_ptr<const PreparedStylesheet> prepare_stylesheet(const std::string& path,
                                                             Diagnostics& diags) {
  RenderRequest req;
  req.stylesheet = path;
  RenderResult read;
  auto prepared = std::make_shared<PreparedStylesheet>();
  prepared->sheets = load_stylesheets(req, read, diags);
  prepared->inputs = std::move(read.inputs);
  // Its font files are read and checked here too, so that a damaged one is reported once;
  // each render's cache loads them again (once per cache).
  std::unique_ptr<text::FontCache> check;
  prepare_fonts(req, prepared->sheets, check, diags);
  return prepared;
}

}  // namespace trang
