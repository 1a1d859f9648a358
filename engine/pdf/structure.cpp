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
      elems_.push_back({l.role, article, l.node, parent, it->second, {}, {}, {}, nullptr, nullptr, this});
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
      alts_.try_emplace(e, *alt);
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

namespace {

uint32_t object_id(HPDF_Dict obj) { return obj->header.obj_id & 0x00FFFFFF; }

// A reference as libharu writes one ("12 0 R"), and a name ("/P").
void put_ref(std::string& out, HPDF_Dict obj) {
  out += std::to_string(object_id(obj));
  out += " 0 R";
}

HPDF_STATUS put(HPDF_Stream out, const std::string& bytes) {
  return HPDF_Stream_Write(out, reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                           static_cast<HPDF_UINT>(bytes.size()));
}

}  // namespace

// The write hooks spell entries the way libharu writes its own ("/Key value\n", arrays as
// "[ a b ]", dicts as "<<\n...>>"), so the bytes are those libharu would write.
HPDF_STATUS Writer::write_element(HPDF_Dict dict, HPDF_Stream out) {
  const Elem& e = *static_cast<const Elem*>(dict->attr);
  const Writer& w = *e.writer;
  std::string& s = w.entries_;
  s.clear();
  auto role = [&] {
    s += "/S /";
    s += role_name(e.role);
    s += '\n';
  };
  if (e.parent < 0) {
    s += "/P ";
    put_ref(s, e.holder);
    s += '\n';
    role();
  } else {
    role();
    s += "/P ";
    put_ref(s, w.elems_[static_cast<size_t>(e.parent)].dict);
    s += '\n';
  }
  // A header cell heads its column (Matterhorn 15-003: TH needs /Scope).
  if (e.role == layout::StructRole::TH) s += "/A <<\n/O /Table\n/Scope /Column\n>>\n";
  s += "/K [ ";
  for (int c : e.kids) {
    put_ref(s, w.elems_[static_cast<size_t>(c)].dict);
    s += ' ';
  }
  if (e.kids.empty()) {
    for (auto [page, annot] : e.annots) {
      s += "<<\n/Type /OBJR\n/Obj ";
      put_ref(s, annot);
      s += "\n/Pg ";
      put_ref(s, w.pages_[page]);
      s += "\n>> ";
    }
    // Marked content: a bare MCID on the element's own /Pg, an MCR elsewhere (§14.7.4.2).
    for (auto [page, mcid] : e.mcids) {
      if (page == e.mcids.front().first) {
        s += std::to_string(mcid);
      } else {
        s += "<<\n/Type /MCR\n/Pg ";
        put_ref(s, w.pages_[page]);
        s += "\n/MCID " + std::to_string(mcid) + "\n>>";
      }
      s += ' ';
    }
  }
  s += "]\n";
  if (e.kids.empty() && !e.mcids.empty()) {
    s += "/Pg ";
    put_ref(s, w.pages_[e.mcids.front().first]);
    s += '\n';
  }
  auto alt = w.alts_.find(e.index);
  if (alt != w.alts_.end()) s += "/Alt " + detail::pdf_text_literal(alt->second) + "\n";
  return put(out, s);
}

HPDF_STATUS Writer::write_group(HPDF_Dict dict, HPDF_Stream out) {
  const Group& g = *static_cast<const Group*>(dict->attr);
  std::string& s = g.writer->entries_;
  s = g.art ? "/Type /StructElem\n/S /Art\n/P " : "/S /Div\n/P ";
  put_ref(s, g.parent);
  s += "\n/K [ ";
  for (HPDF_Dict d : g.groups) {
    put_ref(s, d);
    s += ' ';
  }
  for (int k : g.kids) {
    put_ref(s, g.writer->elems_[static_cast<size_t>(k)].dict);
    s += ' ';
  }
  s += "]\n";
  return put(out, s);
}

// The ParentTree (§14.7.4.4): page i has /StructParents i; its array gives, by MCID, the
// element that holds that marked content. The Link elements' keys follow the pages'.
HPDF_STATUS Writer::write_parent_tree(HPDF_Dict dict, HPDF_Stream out) {
  const Writer& w = *static_cast<const Writer*>(dict->attr);
  std::string& s = w.entries_;
  s = "/Nums [ ";
  for (size_t i = 0; i < w.pages_.size() && i < w.page_marks_.size(); ++i) {
    s += std::to_string(i) + " [ ";
    for (int e : w.page_marks_[i].elems) {
      put_ref(s, w.elems_[static_cast<size_t>(e)].dict);
      s += ' ';
    }
    s += "] ";
    if (s.size() > (1u << 16)) {  // a long article's tree goes out in pieces
      if (HPDF_STATUS st = put(out, s); st != HPDF_OK) return st;
      s.clear();
    }
  }
  for (size_t i = 0; i < w.link_parents_.size(); ++i) {
    s += std::to_string(w.pages_.size() + i) + ' ';
    put_ref(s, w.elems_[static_cast<size_t>(w.link_parents_[i])].dict);
    s += ' ';
  }
  s += "]\n";
  return put(out, s);
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
    // /Type /StructElem is optional (Table 323) and left out: a 20-page article has hundreds.
    e.dict = new_indirect_dict(what);
    if (!e.dict) return false;
    e.dict->attr = &e;
    e.dict->write_fn = write_element;
    std::sort(e.kids.begin(), e.kids.end(), by_order);
  }
  HPDF_Array doc_kids = HPDF_Array_New(doc_->mmgr);
  if (!got(doc_kids, what) || !ok(HPDF_Dict_Add(doc, "K", doc_kids), what)) return false;
  auto group = [&](bool art, HPDF_Dict parent) -> Group* {
    HPDF_Dict d = new_indirect_dict(what);
    if (!d) return nullptr;
    Group& g = groups_.emplace_back(Group{this, art, d, parent, {}, {}});
    d->attr = &g;
    d->write_fn = write_group;
    return &g;
  };
  for (auto& [article, top] : arts) {
    Group* art = group(true, doc);
    if (!art || !ok(HPDF_Array_Add(doc_kids, art->dict), what)) return false;
    std::sort(top.begin(), top.end(), by_order);
    // An article of more elements than libharu's arrays held (HPDF_LIMIT_MAX_ARRAY, 80 000
    // paragraphs) groups them, in order, in Div elements of that many (the generic grouping
    // element, ISO 32000-1 Table 334): readers handle arrays of that size.
    Group* holder = art;
    for (size_t i = 0; i < top.size(); ++i) {
      if (top.size() > HPDF_LIMIT_MAX_ARRAY && i % HPDF_LIMIT_MAX_ARRAY == 0) {
        holder = group(false, art->dict);
        if (!holder) return false;
        art->groups.push_back(holder->dict);
      }
      holder->kids.push_back(top[i]);
      elems_[static_cast<size_t>(top[i])].holder = holder->dict;
    }
  }
  // A Figure holding a picture's Figure and captions speaks for both: the picture's alt text,
  // then the captions (its /Alt replaces its content for a screen reader).
  for (size_t i = 0; i < elems_.size(); ++i) {
    const Elem& e = elems_[i];
    int self = static_cast<int>(i);
    if (e.role != layout::StructRole::Figure || alts_.count(self) || e.kids.empty()) continue;
    std::string alt, captions;
    for (int k : e.kids) {
      const Elem& kid = elems_[static_cast<size_t>(k)];
      auto kid_alt = alts_.find(k);
      if (kid.role == layout::StructRole::Figure && alt.empty() && kid_alt != alts_.end())
        alt = kid_alt->second;
      auto text = captions_.find(k);
      if (kid.role == layout::StructRole::Caption && text != captions_.end() && !text->second.empty())
        captions += (captions.empty() ? "" : " ") + text->second;
    }
    std::string both = alt.empty() ? captions : captions.empty() ? alt : alt + ". " + captions;
    if (!both.empty()) alts_.emplace(self, std::move(both));
  }
  for (size_t i = 0; i < elems_.size(); ++i) {
    auto alt = alts_.find(static_cast<int>(i));
    if (alt == alts_.end()) continue;
    hash("Alt");
    hash(alt->second);
  }
  HPDF_Dict parents = new_indirect_dict(what);
  if (!parents || !ok(HPDF_Dict_Add(root, "ParentTree", parents), what) ||
      !ok(HPDF_Dict_AddNumber(root, "ParentTreeNextKey",
                              static_cast<HPDF_INT32>(pages_.size() + link_parents_.size())), what))
    return false;
  parents->attr = this;
  parents->write_fn = write_parent_tree;
  for (size_t i = 0; i < pages_.size() && i < page_marks_.size(); ++i)
    if (!ok(HPDF_Dict_AddNumber(pages_[i], "StructParents", static_cast<HPDF_INT32>(i)), what))
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
