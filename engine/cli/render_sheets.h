// The stylesheets of a render: the built-in default and the user's (with its @imports), and
// the @font-face faces they declare. Private to the render library (render.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/render.h"
#include "style/style.h"
#include "text/text.h"

namespace trang {

using Sheets = std::vector<std::shared_ptr<const style::Stylesheet>>;

// What prepare_stylesheet made: the sheets in cascade order, and every file they read (the
// sheet, its @imports, its @font-face files), for RenderResult::inputs.
struct PreparedStylesheet {
  Sheets sheets;
  std::vector<std::string> inputs;
};

// The built-in stylesheet and the user's (req.prepared, else parsed from req.stylesheet), in
// cascade order; the files they read are appended to out.inputs. Errors go to `diags`.
Sheets load_stylesheets(const RenderRequest& req, RenderResult& out, Diagnostics& diags);

// The render's font cache: the caller's shared one (batch, watch) or `own`, holding exactly
// the @font-face faces of these sheets (a shared cache may hold an earlier sheet's).
text::FontCache& prepare_fonts(const RenderRequest& req, const Sheets& sheets,
                               std::unique_ptr<text::FontCache>& own, Diagnostics& diags);

}  // namespace trang
