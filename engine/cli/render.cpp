#include "cli/render.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "image/image.h"
#include "layout/layout.h"
#include "model/model.h"
#include "pdf/pdf.h"
#include "style/style.h"
#include "text/text.h"

namespace trang {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_text_file(const std::string& path, Diagnostics& diags) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    diags.error({path}, fs::exists(path, ec) ? "not a regular file" : "no such file");
    return std::nullopt;
  }
  if (fs::file_size(path, ec) > (16u << 20)) {
    diags.error({path}, "file is larger than 16 MiB; not a stylesheet");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

layout::Resources load_resources(const model::Article& article, Diagnostics& diags) {
  layout::Resources res;
  model::visit(article.root, [&](const model::Node& n) {
    if (n.kind != model::Kind::Image) return;
    const std::string* path = n.attribute("resolved-path");
    if (!path) return;
    if (auto img = image::load_image(*path, n.pos, diags)) {
      res.image_of_node[n.index] = static_cast<uint32_t>(res.images.size());
      res.images.push_back(std::move(*img));
    }
  });
  return res;
}

}  // namespace

RenderResult render(const RenderRequest& req, Diagnostics& diags) {
  RenderResult out;
  model::Article article;
  if (!model::read_article(req.article, article, diags)) return out;

  std::vector<style::Stylesheet> sheets;
  sheets.push_back(style::parse_stylesheet(style::default_stylesheet_text(),
                                           "<default stylesheet>", diags));
  if (!req.stylesheet.empty()) {
    auto css = read_text_file(req.stylesheet, diags);
    if (!css) return out;
    sheets.push_back(style::parse_stylesheet(*css, req.stylesheet, diags));
  }
  if (diags.has_errors()) return out;
  std::vector<const style::Stylesheet*> order;
  for (const auto& s : sheets) order.push_back(&s);
  style::StyledDocument styled = style::resolve_styles(article, order, diags);

  layout::Resources res = load_resources(article, diags);
  if (diags.has_errors()) return out;

  text::FontCache fonts;
  layout::Options lopt;
  lopt.max_pages = req.max_pages;
  layout::PageTree tree = layout::layout_article(article, styled, res, fonts, lopt, diags);
  if (diags.has_errors()) return out;
  out.pages = static_cast<int>(tree.pages.size());
  if (req.want_dump) out.layout_dump = layout::dump(tree);

  out.pdf = pdf::write_pdf(tree, res.images, pdf::Options{}, diags);
  if (diags.has_errors()) out.pdf.reset();
  return out;
}

bool write_file_atomically(const std::string& path, const std::string& bytes, Diagnostics& diags) {
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diags.error({path}, "cannot write: folder '" + dir.string() + "' does not exist");
    return false;
  }
  std::string tmpl = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    diags.error({path}, "cannot create a temporary file in '" + dir.string() + "'");
    return false;
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w <= 0) break;
    done += static_cast<size_t>(w);
  }
  bool ok = done == bytes.size() && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  // mkstemp creates 0600; a PDF is an ordinary document.
  if (ok) ok = ::chmod(tmpl.c_str(), 0644) == 0;
  if (ok) ok = std::rename(tmpl.c_str(), path.c_str()) == 0;
  if (!ok) {
    std::remove(tmpl.c_str());
    diags.error({path}, "cannot write the output file");
  }
  return ok;
}

}  // namespace trang
