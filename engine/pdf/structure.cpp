// The writer, tagged PDF (ISO 32000-1 §14.7-14.8, PDF/UA-1): structure elements, marked
// content, the ParentTree and the catalog entries of a tagged file.
#include "pdf/writer.h"

namespace trang::pdf::writer {

const char* Writer::role_name(layout::StructRole role) {
  using R = layout::StructRole;
  switch (role) {
    case R::Artifact: return "Artifact";
    case R::H1: return "H1";
    case R::H2: return "H2";
    case R::P: return "P";
    case R::BlockQuote: return "BlockQuote";
    case R::Figure: return "Figure";
    case R::Caption: return "Caption";
    case R::L: return "L";
    case R::LI: return "LI";
    case R::Lbl: return "Lbl";
    case R::LBody: return "LBody";
    case R::Table: return "Table";
    case R::TR: return "TR";
    case R::TH: return "TH";
    case R::TD: return "TD";
    case R::Div: return "Div";
    case R::Link: return "Link";
  }
  return "P";
}

// The element a tag names, made (with its parents) the first time it is met.
int Writer::element(uint32_t article, const layout::StructTag& tag) {
  int parent = -1;
  for (uint8_t d = 0; d < tag.depth; ++d) {
    const layout::StructTag::Level& l = tag.path[d];
    auto key = std::make_tuple(article, l.node, static_cast<uint8_t>(l.role));
    auto [it, added] = elem_of_.emplace(key, static_cast<int>(elems_.size()));
    if (added) {
      elems_.push_back({l.role, article, l.node, parent, {}, {}, {}, {}, {}, nullptr});
      if (parent >= 0) elems_[static_cast<size_t>(parent)].kids.push_back(it->second);
    }
    parent = it->second;
  }
  return parent;
}

// The operator that opens a tagged item's marked content: its element's next MCID on the
// page (§14.7.4.2), or an artifact. `alt`: a picture's alternative text, the Figure's /Alt.
std::string Writer::open_marked(PageMarks& marks, uint32_t article,
                                const layout::StructTag& tag, const std::string* alt,
                                size_t page) {
  if (tag.artifact()) return "/Artifact BMC\n";
  int e = element(article, tag);
  Elem& el = elems_[static_cast<size_t>(e)];
  if (alt) {
    if (alt->find_first_not_of(" \t\r\n") != std::string::npos) {
      if (el.alt.empty()) el.alt = *alt;
    } else if (alt_warned_.insert(e).second) {
      diags_.warning({}, "page " + std::to_string(page + 1) +
                             ": a picture has no alt text; its Figure has no /Alt, which "
                             "PDF/UA requires",
                     "give the <img> an alt attribute that says what the picture shows");
    }
  }
  int mcid = static_cast<int>(marks.elems.size());
  marks.elems.push_back(e);
  if (tag.initial)
    el.mcids.emplace(el.mcids.begin(), static_cast<uint32_t>(page), mcid);
  else
    el.mcids.emplace_back(static_cast<uint32_t>(page), mcid);
  return std::string("/") + role_name(el.role) + " <</MCID " + std::to_string(mcid) + ">> BDC\n";
}

// The structure tree (ISO 32000-1 §14.7): Document > one Art per article > the elements in
// the article's reading order (model order, whatever the columns and pages), each holding
// its marked content; the ParentTree maps each page's MCIDs back to their elements.
bool Writer::write_structure() {
  if (!options_.tagged) return true;
  step("writing the structure tree");
  const char* what = "writing the structure tree";
  HPDF_Dict root = new_indirect_dict(what);
  HPDF_Dict doc = new_indirect_dict(what);
  if (!root || !doc) return false;
  if (!ok(HPDF_Dict_AddName(root, "Type", "StructTreeRoot"), what) ||
      !ok(HPDF_Dict_Add(root, "K", doc), what) ||
      !ok(HPDF_Dict_AddName(doc, "Type", "StructElem"), what) ||
      !ok(HPDF_Dict_AddName(doc, "S", "Document"), what) ||
      !ok(HPDF_Dict_Add(doc, "P", root), what))
    return false;
  // Children in reading order: by model node, then role (an LI, then its Lbl, then its LBody).
  auto by_order = [&](int a, int b) {
    const Elem& x = elems_[static_cast<size_t>(a)];
    const Elem& y = elems_[static_cast<size_t>(b)];
    return std::tie(x.node, x.role) < std::tie(y.node, y.role);
  };
  std::map<uint32_t, std::vector<int>> arts;
  for (size_t i = 0; i < elems_.size(); ++i)
    if (elems_[i].parent < 0) arts[elems_[i].article].push_back(static_cast<int>(i));
  for (Elem& e : elems_) {
    e.dict = new_indirect_dict(what);
    if (!e.dict) return false;
  }
  HPDF_Array doc_kids = HPDF_Array_New(doc_->mmgr);
  if (!got(doc_kids, what) || !ok(HPDF_Dict_Add(doc, "K", doc_kids), what)) return false;
  for (auto& [article, top] : arts) {
    HPDF_Dict art = new_indirect_dict(what);
    HPDF_Array kids = HPDF_Array_New(doc_->mmgr);
    if (!art || !got(kids, what) || !ok(HPDF_Dict_AddName(art, "Type", "StructElem"), what) ||
        !ok(HPDF_Dict_AddName(art, "S", "Art"), what) || !ok(HPDF_Dict_Add(art, "P", doc), what) ||
        !ok(HPDF_Dict_Add(art, "K", kids), what) || !ok(HPDF_Array_Add(doc_kids, art), what))
      return false;
    std::sort(top.begin(), top.end(), by_order);
    // libharu's arrays hold at most HPDF_LIMIT_MAX_ARRAY items: an article with more
    // elements (80 000 paragraphs) groups them, in order, in Div elements of that many
    // (the generic grouping element, ISO 32000-1 Table 334).
    HPDF_Dict holder = art;
    HPDF_Array holder_kids = kids;
    for (size_t i = 0; i < top.size(); ++i) {
      if (top.size() > HPDF_LIMIT_MAX_ARRAY && i % HPDF_LIMIT_MAX_ARRAY == 0) {
        holder = new_indirect_dict(what);
        holder_kids = HPDF_Array_New(doc_->mmgr);
        if (!holder || !got(holder_kids, what) || !ok(HPDF_Dict_AddName(holder, "S", "Div"), what) ||
            !ok(HPDF_Dict_Add(holder, "P", art), what) || !ok(HPDF_Dict_Add(holder, "K", holder_kids), what) ||
            !ok(HPDF_Array_Add(kids, holder), what))
          return false;
      }
      HPDF_Dict d = elems_[static_cast<size_t>(top[i])].dict;
      if (!ok(HPDF_Array_Add(holder_kids, d), what) || !ok(HPDF_Dict_Add(d, "P", holder), what))
        return false;
    }
  }
  // A Figure holding a picture's Figure and captions speaks for both: the picture's alt text,
  // then the captions (its /Alt replaces its content for a screen reader).
  for (Elem& e : elems_) {
    if (e.role != layout::StructRole::Figure || !e.alt.empty() || e.kids.empty()) continue;
    std::string alt, captions;
    for (int k : e.kids) {
      const Elem& kid = elems_[static_cast<size_t>(k)];
      if (kid.role == layout::StructRole::Figure && alt.empty()) alt = kid.alt;
      if (kid.role == layout::StructRole::Caption && !kid.text.empty())
        captions += (captions.empty() ? "" : " ") + kid.text;
    }
    e.alt = alt.empty() ? captions : captions.empty() ? alt : alt + ". " + captions;
  }
  for (Elem& e : elems_) {
    // /Type /StructElem is optional (Table 323) and left out: a 20-page article has hundreds.
    HPDF_Dict d = e.dict;
    if (!ok(HPDF_Dict_AddName(d, "S", role_name(e.role)), what)) return false;
    if (e.parent >= 0 && !ok(HPDF_Dict_Add(d, "P", elems_[static_cast<size_t>(e.parent)].dict), what))
      return false;
    if (!e.alt.empty()) {
      // Written by the dict's write hook as a literal string (pdf_text_literal), not by
      // libharu as hex: libharu has no literal form for UTF-16.
      hash("Alt");
      hash(e.alt);
      raw_entries_.push_back("/Alt " + detail::pdf_text_literal(e.alt) + "\n");
      d->attr = &raw_entries_.back();
      d->write_fn = write_raw_entries;
    }
    if (e.role == layout::StructRole::TH) {
      // A header cell heads its column (Matterhorn 15-003: TH needs /Scope).
      HPDF_Dict a = HPDF_Dict_New(doc_->mmgr);
      if (!got(a, what) || !ok(HPDF_Dict_AddName(a, "O", "Table"), what) ||
          !ok(HPDF_Dict_AddName(a, "Scope", "Column"), what) || !ok(HPDF_Dict_Add(d, "A", a), what))
        return false;
    }
    HPDF_Array k = HPDF_Array_New(doc_->mmgr);
    if (!got(k, what) || !ok(HPDF_Dict_Add(d, "K", k), what)) return false;
    if (!e.kids.empty()) {
      std::sort(e.kids.begin(), e.kids.end(), by_order);
      for (int c : e.kids)
        if (!ok(HPDF_Array_Add(k, elems_[static_cast<size_t>(c)].dict), what)) return false;
      continue;
    }
    for (auto [page, annot] : e.annots) {
      HPDF_Dict objr = HPDF_Dict_New(doc_->mmgr);
      if (!got(objr, what) || !ok(HPDF_Dict_AddName(objr, "Type", "OBJR"), what) ||
          !ok(HPDF_Dict_Add(objr, "Obj", annot), what) ||
          !ok(HPDF_Dict_Add(objr, "Pg", pages_[page]), what) || !ok(HPDF_Array_Add(k, objr), what))
        return false;
    }
    // Marked content: a bare MCID on the element's own /Pg, an MCR elsewhere (§14.7.4.2).
    if (e.mcids.empty()) continue;
    uint32_t pg = e.mcids.front().first;
    if (!ok(HPDF_Dict_Add(d, "Pg", pages_[pg]), what)) return false;
    for (auto [page, mcid] : e.mcids) {
      if (page == pg) {
        if (!ok(HPDF_Array_AddNumber(k, mcid), what)) return false;
        continue;
      }
      HPDF_Dict mcr = HPDF_Dict_New(doc_->mmgr);
      if (!got(mcr, what) || !ok(HPDF_Dict_AddName(mcr, "Type", "MCR"), what) ||
          !ok(HPDF_Dict_Add(mcr, "Pg", pages_[page]), what) ||
          !ok(HPDF_Dict_AddNumber(mcr, "MCID", mcid), what) || !ok(HPDF_Array_Add(k, mcr), what))
        return false;
    }
  }
  // The ParentTree (§14.7.4.4): page i has /StructParents i; its array gives, by MCID, the
  // element that holds that marked content.
  HPDF_Dict parents = new_indirect_dict(what);
  HPDF_Array nums = HPDF_Array_New(doc_->mmgr);
  if (!parents || !got(nums, what) || !ok(HPDF_Dict_Add(parents, "Nums", nums), what) ||
      !ok(HPDF_Dict_Add(root, "ParentTree", parents), what) ||
      !ok(HPDF_Dict_AddNumber(root, "ParentTreeNextKey",
                              static_cast<HPDF_INT32>(pages_.size() + link_parents_.size())), what))
    return false;
  for (size_t i = 0; i < pages_.size() && i < page_marks_.size(); ++i) {
    HPDF_Array arr = HPDF_Array_New(doc_->mmgr);
    if (!got(arr, what) || !ok(HPDF_Array_AddNumber(nums, static_cast<HPDF_INT32>(i)), what) ||
        !ok(HPDF_Array_Add(nums, arr), what) ||
        !ok(HPDF_Dict_AddNumber(pages_[i], "StructParents", static_cast<HPDF_INT32>(i)), what))
      return false;
    for (int e : page_marks_[i].elems)
      if (!ok(HPDF_Array_Add(arr, elems_[static_cast<size_t>(e)].dict), what)) return false;
  }
  for (size_t i = 0; i < link_parents_.size(); ++i)
    if (!ok(HPDF_Array_AddNumber(nums, static_cast<HPDF_INT32>(pages_.size() + i)), what) ||
        !ok(HPDF_Array_Add(nums, elems_[static_cast<size_t>(link_parents_[i])].dict), what))
      return false;
  // The catalog: a tagged file (§14.7.1), shown by its title (PDF/UA 7.1, Matterhorn 07-001).
  HPDF_Dict mark = HPDF_Dict_New(doc_->mmgr);
  if (!got(mark, what) || !ok(HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE), what) ||
      !ok(HPDF_Dict_Add(doc_->catalog, "MarkInfo", mark), what) ||
      !ok(HPDF_Dict_Add(doc_->catalog, "StructTreeRoot", root), what))
    return false;
  HPDF_Dict prefs = static_cast<HPDF_Dict>(
      HPDF_Dict_GetItem(doc_->catalog, "ViewerPreferences", HPDF_OCLASS_DICT));
  if (!prefs) {
    prefs = HPDF_Dict_New(doc_->mmgr);
    if (!got(prefs, what) || !ok(HPDF_Dict_Add(doc_->catalog, "ViewerPreferences", prefs), what))
      return false;
  }
  hash("tagged " + std::to_string(elems_.size()));
  return ok(HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE), what);
}

}  // namespace trang::pdf::writer
