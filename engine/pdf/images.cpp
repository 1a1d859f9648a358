// The writer, images and colour: XObjects, soft masks, ICC-based colour spaces, page boxes
// and transparency groups.
#include "pdf/writer.h"

namespace trang::pdf::writer {

// Paints a placed image into `content`. The image's unit square is mapped onto the rect,
// turned or mirrored as its EXIF orientation says (PDF 32000-1 §8.3.4 and §8.9.4: image
// space is the unit square, the first row at the top). (s, t) = (a u + c v + e, b u + d v + f)
// per orientation.
bool Writer::draw_image(HPDF_Page hpage, const layout::ImageItem& item, std::string& content) {
  uint32_t index = image_index_.at(item.image.get());
  HPDF_Image img = image(index);
  if (!img) return false;
  if (!item.image->alpha.empty()) transparent_page_ = true;
  step("drawing an image", {item.image->path});
  static constexpr double kOrient[9][6] = {
      {1, 0, 0, 1, 0, 0},  {1, 0, 0, 1, 0, 0},   {-1, 0, 0, 1, 1, 0}, {-1, 0, 0, -1, 1, 1},
      {1, 0, 0, -1, 0, 1}, {0, -1, -1, 0, 1, 1}, {0, -1, 1, 0, 0, 1}, {0, 1, 1, 0, 0, 0},
      {0, 1, -1, 0, 1, 0}};
  const double* m = kOrient[item.orientation <= 8 ? item.orientation : 1];
  const Rect& at = item.picture ? *item.picture : item.rect;
  double x = at.x.v, y = at.y.v, w = at.w.v, h = at.h.v;
  // Registers the XObject in the page's resources, as HPDF_Page_ExecuteXObject would; the
  // operators go into `content`, so that the page is one stream compressed once.
  const char* xobject = HPDF_Page_GetXObjectName(hpage, img);
  if (!got(xobject, "drawing an image")) return false;
  content += "q\n";
  if (item.opacity < 1) {
    const char* gs = alpha_state(hpage, item.opacity);
    if (!gs) return false;
    content.append("/").append(gs).append(" gs\n");
  }
  if (item.picture) {
    // Cropped: only what falls inside the rect shows (§8.5.4, clipping path).
    for (double v : {item.rect.x.v, item.rect.y.v, item.rect.w.v, item.rect.h.v})
      content.append(format_number(v, 4)).push_back(' ');
    content += "re W n\n";
  }
  for (double v : {w * m[0], h * m[1], w * m[2], h * m[3], x + w * m[4], y + h * m[5]})
    content.append(format_number(v, 4)).push_back(' ');
  content.append("cm\n/").append(xobject).append(" Do\nQ\n");
  hash("image " + std::to_string(index) + ' ' + format_number(item.rect.x.v) + ' ' +
       format_number(item.rect.y.v) + ' ' + format_number(item.rect.w.v) + ' ' +
       format_number(item.rect.h.v) +
       (item.orientation > 1 ? " o" + std::to_string(item.orientation) : "") +
       (item.picture ? " crop " + format_number(at.x.v) + ' ' + format_number(at.y.v) + ' ' +
                           format_number(at.w.v) + ' ' + format_number(at.h.v)
                     : ""));
  return true;
}

// A page that paints soft-masked images gets a transparency group in the output space, so
// compositing happens in the colour space the page is printed or archived in (§11.4.7;
// ISO 19005-2 §6.2.10).
bool Writer::add_page_group(HPDF_Page page) {
  const char* what = "adding a transparency group";
  HPDF_Dict group = HPDF_Dict_New(doc_->mmgr);
  return got(group, what) && ok(HPDF_Dict_AddName(group, "Type", "Group"), what) &&
         ok(HPDF_Dict_AddName(group, "S", "Transparency"), what) &&
         ok(HPDF_Dict_AddName(group, "CS", print() ? "DeviceCMYK" : "DeviceRGB"), what) &&
         ok(HPDF_Dict_Add(page, "Group", group), what);
}

// The page's resource name of an ExtGState painting fills and strokes at `alpha` (§11.6.4.4:
// /ca, /CA), one per alpha in thousandths in the document. Below 1 the page is transparent:
// it gets a transparency group for blending in the output space, as soft masks do.
const char* Writer::alpha_state(HPDF_Page page, float alpha) {
  const char* what = "setting a transparency";
  int key = static_cast<int>(std::lround(std::clamp(alpha, 0.0f, 1.0f) * 1000));
  if (key < 1000) transparent_page_ = true;
  HPDF_Dict& state = alpha_states_[key];
  if (!state) {
    state = HPDF_CreateExtGState(doc_.get());
    auto a = static_cast<HPDF_REAL>(key / 1000.0);
    if (!got(state, what) || !ok(HPDF_ExtGState_SetAlphaFill(state, a), what) ||
        !ok(HPDF_ExtGState_SetAlphaStroke(state, a), what))
      return nullptr;
  }
  hash("alpha " + std::to_string(key));
  const char* name = HPDF_Page_GetExtGStateName(page, state);
  return got(name, what) ? name : nullptr;
}

// An ICC profile stream (§8.6.5.5), Flate-compressed.
HPDF_Dict Writer::icc_stream(const detail::IccProfile& icc, const char* what) {
  HPDF_Dict stream = HPDF_DictStream_New(doc_->mmgr, doc_->xref);
  if (!got(stream, what)) return nullptr;
  if (!ok(HPDF_Dict_AddNumber(stream, "N", icc.components), what) ||
      !write_stream(stream, icc.bytes, true, what))
    return nullptr;
  hash(icc.bytes);
  return stream;
}

HPDF_Dict Writer::srgb_stream() {
  if (!srgb_stream_) {
    if (detail::srgb_profile().bytes.empty()) {
      diags_.error({}, "PDF writer: lcms2 could not make the sRGB profile");
      sink_.failed = true;
      return nullptr;
    }
    srgb_stream_ = icc_stream(detail::srgb_profile(), "embedding the sRGB profile");
  }
  return srgb_stream_;
}

// [/ICCBased <sRGB stream>]: a fresh array for each use (a direct object has one owner).
HPDF_Array Writer::srgb_colorspace() {
  HPDF_Dict icc = srgb_stream();
  if (!icc) return nullptr;
  HPDF_Array cs = HPDF_Array_New(doc_->mmgr);
  const char* what = "making an sRGB colour space";
  if (!got(cs, what) || !ok(HPDF_Array_AddName(cs, "ICCBased"), what) ||
      !ok(HPDF_Array_Add(cs, icc), what))
    return nullptr;
  return cs;
}

// Loads each image of the table once, however many times it is placed.
HPDF_Image Writer::image(uint32_t index) {
  if (image_cache_[index]) return image_cache_[index];
  const image::Image& im = *images_[index];
  step("embedding an image", {im.path});
  HPDF_Image img = nullptr;
  auto w = static_cast<HPDF_UINT>(im.width);
  auto h = static_cast<HPDF_UINT>(im.height);
  if (archive() && im.kind == image::Image::Kind::Jpeg && im.components == 4) {
    diags_.error({im.path}, "a CMYK JPEG cannot go into a PDF/A file with an sRGB output "
                            "intent (DeviceCMYK is not allowed, ISO 19005-2 §6.2.4.3)",
                 "save the photo as RGB, or render with --profile print");
    sink_.failed = true;
    return nullptr;
  }
  if (im.kind == image::Image::Kind::Jpeg) {
    // The JPEG file goes in unchanged with /DCTDecode (§7.4.8). The image dictionary is made
    // here from what image/ read and checked, rather than by HPDF_LoadJpegImageFromMem,
    // which parses the header again and copies the whole file into a stream of its own.
    const char* what = "embedding a JPEG image";
    img = HPDF_DictStream_New(doc_->mmgr, doc_->xref);
    if (!got(img, what)) return nullptr;
    img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    img->filter = HPDF_STREAM_FILTER_DCT_DECODE;
    const char* space = im.components == 1 ? "DeviceGray"
                        : im.components == 4 ? "DeviceCMYK" : "DeviceRGB";
    if (!ok(HPDF_Dict_AddName(img, "Type", "XObject"), what) ||
        !ok(HPDF_Dict_AddName(img, "Subtype", "Image"), what) ||
        !ok(HPDF_Dict_AddNumber(img, "Width", static_cast<HPDF_INT32>(im.width)), what) ||
        !ok(HPDF_Dict_AddNumber(img, "Height", static_cast<HPDF_INT32>(im.height)), what) ||
        !ok(HPDF_Dict_AddName(img, "ColorSpace", space), what) ||
        !ok(HPDF_Dict_AddNumber(img, "BitsPerComponent", 8), what) ||
        !read_from(img, im.data, what))
      return nullptr;
    // Adobe applications write CMYK inverted: /Decode [1 0 1 0 1 0 1 0] turns it back
    // (§8.9.5.2 Decode arrays).
    if (im.components == 4 && im.adobe_inverted) {
      HPDF_Array decode = HPDF_Array_New(doc_->mmgr);
      if (!got(decode, "embedding a CMYK JPEG") ||
          !ok(HPDF_Dict_Add(img, "Decode", decode), "embedding a CMYK JPEG"))
        return nullptr;
      for (int i = 0; i < 8; ++i)
        if (!ok(HPDF_Array_AddNumber(decode, i % 2 == 0 ? 1 : 0), "embedding a CMYK JPEG"))
          return nullptr;
    }
    // A three-component JPEG whose samples are RGB, not YCbCr (no JFIF, no Adobe marker
    // saying otherwise): DCTDecode would convert it from YCbCr unless told not to
    // (§7.4.8, Table 13, ColorTransform).
    if (im.jpeg_rgb_untransformed) {
      HPDF_Dict parms = HPDF_Dict_New(doc_->mmgr);
      if (!got(parms, "embedding an RGB JPEG") ||
          !ok(HPDF_Dict_AddNumber(parms, "ColorTransform", 0), "embedding an RGB JPEG") ||
          !ok(HPDF_Dict_Add(img, "DecodeParms", parms), "embedding an RGB JPEG"))
        return nullptr;
    }
    // Print: an RGB JPEG keeps its compressed data (re-encoding would lose quality) and is
    // tagged as sRGB, a device-independent space PDF/X-4 allows; the RIP converts it with
    // the output intent's profile (ISO 15930-7 §6.2.4).
    if (print() && im.components == 3) {
      HPDF_Array cs = srgb_colorspace();
      if (!cs || !ok(HPDF_Dict_Add(img, "ColorSpace", cs), "tagging an RGB JPEG as sRGB"))
        return nullptr;
    }
  } else {
    std::span<const uint8_t> data = im.data;
    std::vector<uint8_t> converted;
    int components = im.components;
    if (print() && components == 3) {
      converted = converter_->rgb_to_cmyk(im.data);
      components = 4;
      ++report_.rgb_images_converted;
    } else if (archive() && components == 4) {
      converted = detail::cmyk_to_rgb_pixels(im.data, false);
      components = 3;
      ++report_.cmyk_converted;
    }
    if (!converted.empty()) data = converted;
    HPDF_ColorSpace cs = components == 1   ? HPDF_CS_DEVICE_GRAY
                         : components == 3 ? HPDF_CS_DEVICE_RGB
                                           : HPDF_CS_DEVICE_CMYK;
    img = HPDF_LoadRawImageFromMem(doc_.get(), data.data(), w, h, cs, 8);
    if (!got(img, "embedding an image") || !recompress(img, data, "embedding an image"))
      return nullptr;
  }
  if (!im.alpha.empty()) {
    // Transparency as a soft mask (§11.6.5.3), a gray image of the same size.
    HPDF_Image mask = HPDF_LoadRawImageFromMem(doc_.get(), im.alpha.data(), w, h,
                                               HPDF_CS_DEVICE_GRAY, 8);
    if (!got(mask, "embedding an image's alpha") ||
        !recompress(mask, im.alpha, "embedding an image's alpha") ||
        !ok(HPDF_Image_AddSMask(img, mask), "embedding an image's alpha"))
      return nullptr;
    hash(im.alpha);
  }
  hash("image " + std::to_string(im.width) + 'x' + std::to_string(im.height) + 'x' +
       std::to_string(im.components) + (im.adobe_inverted ? "i" : "") +
       (im.jpeg_rgb_untransformed ? "r" : ""));
  if (im.content_hash[0] != 0 || im.content_hash[1] != 0) {  // the file's hash, from image/
    char h[16];
    std::memcpy(h, im.content_hash, sizeof h);
    hash(std::string_view(h, sizeof h));
  } else {
    hash(im.data);
  }
  image_cache_[index] = img;
  return img;
}

}  // namespace trang::pdf::writer
