// The writer, pages: content streams, the text of each page (written on both cores), and the
// compression of the streams that wait for it.
#include "pdf/writer.h"

namespace trang::pdf::writer {

HPDF_Dict Writer::new_indirect_dict(const char* what) {
  HPDF_Dict dict = HPDF_Dict_New(doc_->mmgr);
  if (!got(dict, what)) return nullptr;
  // A dict must be in the xref before it goes into a container (pitfall 3).
  if (!ok(HPDF_Xref_Add(doc_->xref, dict), what)) return nullptr;
  return dict;
}

// XXH3-128 of each piece, seeded with the state so far, so the /ID depends on every byte and
// on their order. libharu's MD5 went byte by byte and cost 8% of a one-page render for an
// identifier that needs to be stable, not secret (ISO 32000-1 §14.4).
void Writer::hash(std::string_view bytes) {
  std::array<uint64_t, 2> h = hash128(bytes, id_[0] ^ (id_[1] * 0x9e3779b97f4a7c15ull));
  id_[0] = h[0];
  id_[1] = h[1];
}

void Writer::hash(std::span<const uint8_t> bytes) {
  hash(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

// Writes `bytes` as the data of stream object `dict`, Flate-compressed when `compress`
// (see write_flate_filter_entry). The stream must still be empty: compressed data cannot be
// appended to.
bool Writer::write_stream(HPDF_Dict dict, std::string_view bytes, bool compress, const char* what) {
  if (!compress || bytes.empty())
    return put_stream(dict, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), false,
                      what);
  libdeflate_compressor* c = compressor(kFlateLevel);
  if (!c || !deflate_into(c, bytes, deflated_)) return ok(HPDF_FAILD_TO_ALLOC_MEM, what);
  return put_stream(dict, deflated_.data(), deflated_.size(), true, what);
}

// Writes the data of stream object `dict`, which must still be empty; `deflated`: the data is
// Flate-compressed (write_flate_filter_entry then writes its /Filter).
bool Writer::put_stream(HPDF_Dict dict, const uint8_t* data, size_t size, bool deflated,
                        const char* what) {
  dict->filter = HPDF_STREAM_FILTER_NONE;
  if (deflated) dict->write_fn = write_flate_filter_entry;
  if (size > 0x7FFFFFFFu) return ok(HPDF_INVALID_PARAMETER, what);  // libharu counts in 32 bits
  return ok(HPDF_Stream_Write(dict->stream, data, static_cast<HPDF_UINT>(size)), what);
}

bool Writer::write_stream(HPDF_Dict dict, std::span<const uint8_t> bytes, bool compress,
                          const char* what) {
  return write_stream(dict, {reinterpret_cast<const char*>(bytes.data()), bytes.size()},
                      compress, what);
}

// Points stream object `dict` at `bytes` (alive until save) instead of libharu's copy.
bool Writer::read_from(HPDF_Dict dict, std::span<const uint8_t> bytes, const char* what) {
  sources_.push_back(std::make_unique<ByteSource>(ByteSource{bytes.data(), bytes.size(), 0}));
  HPDF_Stream reader = HPDF_CallbackReader_New(doc_->mmgr, source_read, source_seek, source_tell,
                                               source_size, sources_.back().get());
  if (!got(reader, what)) return false;
  HPDF_Stream_Free(dict->stream);
  dict->stream = reader;
  return true;
}

// libharu's raw-image loader has copied the samples into the stream, to be deflated at save
// time by zlib; they are compressed here instead (write_stream).
bool Writer::recompress(HPDF_Image img, std::span<const uint8_t> samples, const char* what) {
  HPDF_MemStream_FreeData(img->stream);
  return write_stream(img, samples, true, what);
}

// Offers the runs of every page, once all pages exist, to their fonts in document order:
// this fixes the used glyphs and the ToUnicode entries. Each run's colour is converted for
// the profile here too, on this thread (out_color counts the conversions for the report).
void Writer::record_texts() {
  step("writing text");
  for (PageText& job : texts_)
    for (const GlyphRun* run : job.runs) {
      detail::record_run(*run, fonts_[run->font]->usage, scratch_);
      job.colors.push_back(out_color(run->color));
    }
}

// The runs of every page, after record_texts and subset_fonts: the pages' content is written
// two at a time (write_run only reads the fonts' usage and CIDs), then each goes into its
// page in order. The bytes do not depend on the threads. Runs painted one after the other
// share text objects (content.h, TextObject); graphics painted between them close it. The
// readable form (compression off) spells the glyph codes in hex.
bool Writer::write_texts() {
  step("writing text");
  parallel_for(texts_.size(), [&](size_t i) {
    PageText& job = texts_[i];
    std::u16string scratch;
    detail::TextObject text(job.content, !options_.compress, options_.word_spaces);
    size_t g = 0;
    auto graphics_before = [&](size_t k) {
      for (; g < job.graphics.size() && job.graphics[g].first == k; ++g) {
        text.close();
        job.content += job.graphics[g].second;
      }
    };
    for (size_t k = 0; k < job.runs.size(); ++k) {
      graphics_before(k);
      // Tagged: a run opens a marked-content sequence inside the shared text object, or goes
      // on in the one before (an empty tag, write_page).
      if (!job.tags.empty()) {
        if (job.tags[k].empty())
          text.continue_mark();
        else
          text.set_mark(job.tags[k]);
      }
      const GlyphRun& run = *job.runs[k];
      const FontState& font = *fonts_[run.font];
      detail::RunIssues r = text.write_run(run, job.resources[k], *font.program, font.usage,
                                           font.subset->cids, scratch, &job.colors[k]);
      job.issues.bad_clusters += r.bad_clusters;
      job.issues.bad_utf8 += r.bad_utf8;
      job.issues.actual_only += r.actual_only;
    }
    text.close();
    graphics_before(job.runs.size());
    if (job.marks) {
      if (options_.tagged) job.content += "/Artifact <</Type /Page>> BDC\n";
      detail::append_marks(job.content, job.page->width, job.page->height, job.bleed, job.crop,
                           job.cross);
      if (options_.tagged) job.content += "EMC\n";
    }
  });
  for (PageText& job : texts_) {
    if (!write_content(job.hpage, job.content)) return false;
    actual_only_ += job.issues.actual_only;
    std::string where = "page " + std::to_string(job.index + 1) + ": ";
    if (job.issues.bad_clusters)
      diags_.warning({}, where + std::to_string(job.issues.bad_clusters) +
                             " text clusters overlap or point past their glyphs; their text is "
                             "missing from the text layer");
    if (job.issues.bad_utf8)
      diags_.warning({}, where + std::to_string(job.issues.bad_utf8) +
                             " text clusters hold invalid UTF-8 (replaced by U+FFFD)");
  }
  texts_.clear();
  return true;
}

// Like write_stream, but the bytes are compressed (at `level`) and written by flush_pending,
// with the other streams waiting there, on both cores.
void Writer::defer_stream(HPDF_Dict dict, std::string bytes, bool compress, const char* what,
                          int level) {
  pending_.push_back({dict, std::move(bytes), compress, what, level, {}});
}

bool Writer::flush_pending() {
  step("compressing streams");
  std::vector<char> failed(pending_.size(), 0);
  parallel_for(pending_.size(), [&](size_t i) {
    Pending& p = pending_[i];
    if (!p.compress || p.bytes.empty()) return;
    libdeflate_compressor* c = compressor(p.level);
    if (!c || !deflate_into(c, p.bytes, p.deflated)) failed[i] = 1;
  });
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    if (failed[i]) return ok(HPDF_FAILD_TO_ALLOC_MEM, p.what);
    bool deflated = p.compress && !p.bytes.empty();
    bool written = deflated ? put_stream(p.dict, p.deflated.data(), p.deflated.size(), true, p.what)
                            : put_stream(p.dict, reinterpret_cast<const uint8_t*>(p.bytes.data()),
                                         p.bytes.size(), false, p.what);
    if (!written) return false;
    std::string().swap(p.bytes);
    std::vector<uint8_t>().swap(p.deflated);
  }
  pending_.clear();
  return true;
}

// Subsets every used font (hb-subset, no libharu), two at a time, once record_texts has
// collected the used glyphs. Each result stays with its font, so the document does not depend
// on which thread did what. False after reporting the first font, in font order, that could
// not be subset.
bool Writer::subset_fonts() {
  step("subsetting fonts");
  const std::vector<FontState*>& todo = font_order_;
  parallel_for(todo.size(), [&](size_t i) {
    FontState& f = *todo[i];
    f.gids = f.usage.used_glyphs();
    f.subset = detail::subset_font(*f.program, f.gids, f.usage.characters(), f.subset_error);
  });
  for (FontState* f : todo) {
    if (f->subset) continue;
    const FontProgram& prog = *f->program;
    step("embedding a font", {prog.path});
    diags_.error({prog.path}, "cannot embed font '" + prog.postscript_name + "': " +
                                  f->subset_error);
    sink_.failed = true;
    return false;
  }
  return true;
}

// The page's whole content stream, written once.
bool Writer::write_content(HPDF_Page page, const std::string& content) {
  if (content.empty()) return true;
  hash(content);
  auto* attr = static_cast<HPDF_PageAttr>(page->attr);
  defer_stream(attr->contents, content, options_.compress, "writing page content");
  return true;
}

// The page's resource name for a font, creating the font's Type0 dict on first use. The
// font goes through the page's own font table so libharu keeps it (pitfall 4).
const char* Writer::font_resource(HPDF_Page page, FontId id) {
  std::unique_ptr<FontState>& state = fonts_[id];
  if (!state) {
    state = std::make_unique<FontState>();
    state->program = tree_.fonts[id].get();
    state->usage = detail::FontUsage(state->program->advances.size());
    state->type0 = new_indirect_dict("creating a font");
    if (!state->type0) return nullptr;
    font_order_.push_back(state.get());
  }
  const char* name = HPDF_Page_GetLocalFontName(page, state->type0);
  got(name, "adding a font to the page resources");
  return name;
}

bool Writer::write_page(const Page& page, size_t index) {
  step("adding a page");
  HPDF_Page hpage = HPDF_AddPage(doc_.get());
  if (!got(hpage, "adding a page")) return false;
  pages_.push_back(hpage);
  if (!ok(HPDF_Page_SetWidth(hpage, static_cast<HPDF_REAL>(page.width.v)), "sizing a page") ||
      !ok(HPDF_Page_SetHeight(hpage, static_cast<HPDF_REAL>(page.height.v)), "sizing a page"))
    return false;
  std::string size = "page " + format_number(page.width.v) + ' ' + format_number(page.height.v);
  hash(size);
  // Print: the stylesheet's bleed and marks, or the profile's defaults when it says nothing.
  Pt bleed = page.bleed;
  bool crop = page.crop_marks, cross = page.cross_marks;
  if (print() && bleed.v <= 0 && !crop && !cross) {
    bleed = options_.default_bleed;
    crop = options_.default_crop_marks;
  }
  if (print() && !set_boxes(hpage, page, bleed, crop, cross)) return false;

  // The page's frame in paint order. Graphics go into the content stream now (fills and
  // rules in runs of their own kind share a q/Q); the text goes in later (write_texts):
  // every page's runs are recorded first, in order, then the pages' text is written on both
  // cores. Graphics painted after some text wait in job.graphics for their turn.
  PageText job;
  job.page = &page;
  job.hpage = hpage;
  job.index = index;
  std::string content;
  content.reserve(4096);
  std::vector<layout::LinkItem> links;
  std::vector<uint32_t> link_articles;
  enum class Open : uint8_t { None, Fills, Rules } open = Open::None;
  auto graphics = [&]() -> std::string& {
    if (job.runs.empty()) return content;
    if (job.graphics.empty() || job.graphics.back().first != job.runs.size())
      job.graphics.emplace_back(job.runs.size(), std::string());
    return job.graphics.back().second;
  };
  // Tagged: fills and rules are decoration (rules, boxes, table borders), artifacts of the
  // layout kind (§14.8.2.2); text and pictures get MCIDs, numbered on the page from 0.
  const bool tagged = options_.tagged;
  auto group = [&](Open kind) {
    if (open == kind) return;
    if (open != Open::None) graphics() += tagged ? "EMC\nQ\n" : "Q\n";
    if (kind != Open::None) graphics() += tagged ? "q\n/Artifact <</Type /Layout>> BDC\n" : "q\n";
    open = kind;
  };
  PageMarks& marks = page_marks_.emplace_back();
  // A publication's modules are groups, each of one article (Page::modules); everything else
  // on the page belongs to the document's first article.
  std::vector<uint32_t> article_of(page.content.items.size(), 0);
  for (const layout::ModuleBox& m : page.modules)
    if (m.item < article_of.size()) article_of[m.item] = m.article;
  uint32_t article = 0;
  int last_key = -4;  // tagged: the element of the last run (-1, -2 artifacts, -3 a drop cap)
  std::string shadow_out;
  detail::TextObject shadow(shadow_out);  // tagged: where write_texts's moves will fall
  bool good = true;
  auto visit = [&](const layout::Item& item, Pt dx, Pt dy) {
    if (!good) return;
    if (const auto* fill = std::get_if<FillItem>(&item)) {
      group(Open::Fills);
      Rect r = fill->rect;
      r.x += dx;
      r.y += dy;
      detail::append_fill(graphics(), {r, out_color(fill->color)});
    } else if (const auto* rule = std::get_if<RuleItem>(&item)) {
      group(Open::Rules);
      layout::RuleItem r = *rule;
      layout::translate(r, dx, dy);
      r.color = out_color(rule->color);
      detail::append_rule(graphics(), r);
    } else if (const auto* im = std::get_if<ImageItem>(&item)) {
      group(Open::None);
      layout::ImageItem placed = *im;
      layout::translate(placed, dx, dy);
      std::string& out = graphics();
      if (tagged) out += open_marked(marks, article, im->tag, &im->alt, index);
      good = draw_image(hpage, placed, out);
      if (tagged) out += "EMC\n";
    } else if (const auto* run = std::get_if<GlyphRun>(&item)) {
      if (run->glyphs.empty()) return;
      group(Open::None);
      const char* name = font_resource(hpage, run->font);
      if (!name) {
        good = false;
        return;
      }
      job.resources.push_back(name);
      if (tagged) {
        // Furniture (running heads, folios, jump lines) is pagination, other untagged runs
        // plain artifacts. A run that follows one of the same element with nothing painted
        // between goes on in its marked-content sequence (an empty tag,
        // TextObject::continue_mark): a column of a paragraph is one MCID, not one per line.
        // A drop cap, read before the lines it is drawn after, keeps an MCID of its own.
        bool furniture = run->role == GlyphRun::Role::Furniture;
        static const layout::StructTag kArtifact;
        const layout::StructTag& tag = furniture ? kArtifact : run->tag;
        int key = tag.artifact() ? (furniture ? -2 : -1)
                                 : tag.initial ? -3 : element(article, tag);
        bool text_goes_on = !job.runs.empty() && (job.graphics.empty() ||
                                                  job.graphics.back().first != job.runs.size());
        if (!text_goes_on) shadow.close();
        bool restarts = shadow.place((run->x + dx).v, (run->y + dy).v);
        shadow_out.clear();
        bool adjoining = text_goes_on && !restarts && key != -3 && key == last_key;
        last_key = key;
        if (adjoining)
          job.tags.emplace_back();
        else if (tag.artifact())
          job.tags.emplace_back(furniture ? "/Artifact <</Type /Pagination>> BDC\n"
                                          : "/Artifact BMC\n");
        else
          job.tags.push_back(open_marked(marks, article, tag, nullptr, index));
        if (!tag.artifact() && tag.leaf().role == layout::StructRole::Caption) {
          std::string& text = captions_[element(article, tag)];
          if (!text.empty()) text += ' ';
          for (const Cluster& c : run->clusters) text += c.text.view();
        }
      }
      if (dx != Pt() || dy != Pt()) {
        GlyphRun& moved = job.moved.emplace_back(*run);
        layout::translate(moved, dx, dy);
        job.runs.push_back(&moved);
      } else {
        job.runs.push_back(run);
      }
    } else if (const auto* link = std::get_if<LinkItem>(&item)) {
      layout::LinkItem l = *link;
      layout::translate(l, dx, dy);
      links.push_back(std::move(l));
      link_articles.push_back(article);
    }
  };
  for (size_t i = 0; i < page.content.items.size() && good; ++i) {
    article = article_of[i];
    const layout::Item& item = page.content.items[i];
    if (const auto* g = std::get_if<layout::Group>(&item)) {
      if (g->frame) layout::for_each_item(*g->frame, visit, g->x, g->y);
    } else {
      visit(item, Pt(), Pt());
    }
  }
  group(Open::None);
  if (!good) return false;
  job.content = std::move(content);
  job.marks = print();
  job.bleed = bleed;
  job.crop = crop;
  job.cross = cross;
  texts_.push_back(std::move(job));
  if (transparent_page_ && !(options_.profile == Profile::Screen) && !add_page_group(hpage))
    return false;
  transparent_page_ = false;

  for (size_t li = 0; li < links.size(); ++li) {
    const layout::LinkItem& link = links[li];
    if (link.uri.empty()) continue;
    step("adding a link");
    std::string uri = encode_uri(link.uri);
    hash("link " + uri);
    HPDF_Rect rect{static_cast<HPDF_REAL>(link.rect.x.v), static_cast<HPDF_REAL>(link.rect.y.v),
                   static_cast<HPDF_REAL>(link.rect.right().v),
                   static_cast<HPDF_REAL>(link.rect.top().v)};
    HPDF_Annotation annot = HPDF_Page_CreateURILinkAnnot(hpage, rect, uri.c_str());
    if (!got(annot, "adding a link")) return false;
    // No border: a link in print looks like the text around it (§12.5.2, /Border [0 0 0]).
    if (!ok(HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0), "adding a link")) return false;
    // PDF/A: every annotation has the Print flag (ISO 19005-2 §6.3.2). PDF/X: a link is left
    // non-printing (no /F), so nothing but artwork and marks reaches the plate.
    if (archive() && !ok(HPDF_Dict_AddNumber(annot, "F", 4), "adding a link")) return false;
    // Tagged: an annotation says what it is (PDF/UA 7.18.1, Matterhorn 28-012), and the page
    // visits its annotations in structure order (7.18.3, 28-008/28-009).
    if (options_.tagged && (!add_text(annot, "Contents", link.uri) ||
                            !ok(HPDF_Dict_AddName(hpage, "Tabs", "S"), "adding a link")))
      return false;
    if (options_.tagged && !link.tag.artifact()) {
      // A Link element beside the element of the link's text, holding the annotation by an
      // OBJR (§14.7.4.3); its ParentTree key follows the pages' (Matterhorn 28-011).
      layout::StructTag lt = link.tag;
      lt.path[lt.depth - 1].role = layout::StructRole::Link;
      int e = element(link_articles[li], lt);
      elems_[static_cast<size_t>(e)].annots.emplace_back(static_cast<uint32_t>(index), annot);
      auto key = static_cast<HPDF_INT32>(tree_.pages.size() + link_parents_.size());
      link_parents_.push_back(e);
      if (!ok(HPDF_Dict_AddNumber(annot, "StructParent", key), "adding a link")) return false;
    }
  }
  return true;
}

// TrimBox and BleedBox on every page (ISO 15930-7 §6.2.2; ISO 32000-1 §14.11.2). The layout's
// coordinates stay as they are: the trim box is [0 0 w h] and the MediaBox grows outwards,
// with a negative origin, by the bleed and the room the marks need.
bool Writer::set_boxes(HPDF_Page page, const Page& p, Pt bleed, bool crop, bool cross) {
  const char* what = "setting the page boxes";
  double b = std::max(0.0, bleed.v);
  double m = detail::media_margin(Pt(b), crop, cross).v;
  auto box = [&](const char* key, double margin) {
    HPDF_Box r{static_cast<HPDF_REAL>(-margin), static_cast<HPDF_REAL>(-margin),
               static_cast<HPDF_REAL>(p.width.v + margin),
               static_cast<HPDF_REAL>(p.height.v + margin)};
    HPDF_Array a = HPDF_Box_Array_New(doc_->mmgr, r);
    return got(a, what) && ok(HPDF_Dict_Add(page, key, a), what);
  };
  hash("boxes " + format_number(b) + ' ' + format_number(m) + (crop ? " crop" : "") +
       (cross ? " cross" : ""));
  return box("MediaBox", m) && box("BleedBox", b) && box("TrimBox", 0);
}

}  // namespace trang::pdf::writer
