#include "pdf/color.h"

#include <lcms2.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace trang::pdf::detail {

namespace {

float clamp01(float v) { return std::isfinite(v) ? std::clamp(v, 0.0f, 1.0f) : 0.0f; }

// lcms2 reports through a per-context callback; this one records the last message so the
// caller can name it in a diagnostic.
void log_to_string(cmsContext ctx, cmsUInt32Number, const char* text) {
  if (auto* s = static_cast<std::string*>(cmsGetContextUserData(ctx))) *s = text ? text : "";
}

struct ContextFree {
  void operator()(void* c) const { cmsDeleteContext(static_cast<cmsContext>(c)); }
};
struct ProfileFree {
  void operator()(void* p) const { cmsCloseProfile(static_cast<cmsHPROFILE>(p)); }
};
using ContextPtr = std::unique_ptr<void, ContextFree>;
using ProfilePtr = std::unique_ptr<void, ProfileFree>;

int components_of(cmsColorSpaceSignature cs) {
  switch (cs) {
    case cmsSigGrayData: return 1;
    case cmsSigRgbData: return 3;
    case cmsSigCmykData: return 4;
    default: return 0;
  }
}

}  // namespace

Color naive_to_cmyk(const Color& color) {
  switch (color.space) {
    case Color::Space::Cmyk: {
      Color c = color;
      for (float& v : c.c) v = clamp01(v);
      return c;
    }
    case Color::Space::Gray:
      return Color::cmyk(0, 0, 0, 1 - clamp01(color.c[0]));
    case Color::Space::Rgb: {
      float r = clamp01(color.c[0]), g = clamp01(color.c[1]), b = clamp01(color.c[2]);
      float k = 1 - std::max({r, g, b});
      if (k >= 1) return Color::cmyk(0, 0, 0, 1);
      return Color::cmyk((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k);
    }
  }
  return color;
}

Color naive_to_rgb(const Color& color) {
  switch (color.space) {
    case Color::Space::Rgb: return color;
    case Color::Space::Gray: {
      float g = clamp01(color.c[0]);
      return Color::rgb(g, g, g);
    }
    case Color::Space::Cmyk: {
      float k = clamp01(color.c[3]);
      return Color::rgb((1 - clamp01(color.c[0])) * (1 - k), (1 - clamp01(color.c[1])) * (1 - k),
                        (1 - clamp01(color.c[2])) * (1 - k));
    }
  }
  return color;
}

std::optional<IccProfile> read_icc(const std::string& bytes, std::string& error) {
  std::string message;
  ContextPtr ctx(cmsCreateContext(nullptr, &message));
  if (!ctx) {
    error = "lcms2 could not start";
    return std::nullopt;
  }
  cmsSetLogErrorHandlerTHR(static_cast<cmsContext>(ctx.get()), log_to_string);
  ProfilePtr profile(cmsOpenProfileFromMemTHR(static_cast<cmsContext>(ctx.get()), bytes.data(),
                                              static_cast<cmsUInt32Number>(bytes.size())));
  if (!profile) {
    error = "not an ICC profile" + (message.empty() ? std::string() : " (" + message + ")");
    return std::nullopt;
  }
  IccProfile out;
  out.bytes = bytes;
  out.components = components_of(cmsGetColorSpace(profile.get()));
  char desc[256] = {};
  cmsGetProfileInfoASCII(profile.get(), cmsInfoDescription, "en", "US", desc, sizeof desc);
  out.description = desc;
  // A PDF text string written as-is must stay printable ASCII.
  for (char& c : out.description)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
  return out;
}

const IccProfile& srgb_profile() {
  static const IccProfile profile = [] {
    IccProfile p;
    p.components = 3;
    p.description = "sRGB IEC61966-2.1";
    cmsContext ctx = cmsCreateContext(nullptr, nullptr);
    cmsHPROFILE h = cmsCreate_sRGBProfileTHR(ctx);
    if (h) {
      cmsUInt32Number size = 0;
      if (cmsSaveProfileToMem(h, nullptr, &size) && size > 128) {
        p.bytes.resize(size);
        if (!cmsSaveProfileToMem(h, p.bytes.data(), &size)) p.bytes.clear();
      }
      cmsCloseProfile(h);
    }
    cmsDeleteContext(ctx);
    if (p.bytes.size() > 128) {
      // ICC.1:2010 §7.2.8: creation date, six big-endian 16-bit numbers at offset 24.
      const uint16_t date[6] = {2000, 1, 1, 0, 0, 0};
      for (int i = 0; i < 6; ++i) {
        p.bytes[24 + 2 * i] = static_cast<char>(date[i] >> 8);
        p.bytes[25 + 2 * i] = static_cast<char>(date[i] & 0xFF);
      }
      // §7.2.18: the profile ID (an MD5 over the profile) stays zero, "not computed".
      std::memset(p.bytes.data() + 84, 0, 16);
    }
    return p;
  }();
  return profile;
}

ColorConverter::ColorConverter(const IccProfile* output) {
  if (!output || output->components != 4) return;
  cmsContext ctx = cmsCreateContext(nullptr, nullptr);
  if (!ctx) return;
  context_ = ctx;
  cmsHPROFILE src = cmsCreate_sRGBProfileTHR(ctx);
  cmsHPROFILE dst = cmsOpenProfileFromMemTHR(ctx, output->bytes.data(),
                                             static_cast<cmsUInt32Number>(output->bytes.size()));
  if (src && dst)
    transform_ = cmsCreateTransformTHR(ctx, src, TYPE_RGB_FLT, dst, TYPE_CMYK_FLT,
                                       INTENT_RELATIVE_COLORIMETRIC,
                                       cmsFLAGS_BLACKPOINTCOMPENSATION);
  if (src && dst && transform_)
    transform8_ = cmsCreateTransformTHR(ctx, src, TYPE_RGB_8, dst, TYPE_CMYK_8,
                                        INTENT_RELATIVE_COLORIMETRIC,
                                        cmsFLAGS_BLACKPOINTCOMPENSATION);
  if (src) cmsCloseProfile(src);
  if (dst) cmsCloseProfile(dst);
}

ColorConverter::~ColorConverter() {
  if (transform_) cmsDeleteTransform(static_cast<cmsHTRANSFORM>(transform_));
  if (transform8_) cmsDeleteTransform(static_cast<cmsHTRANSFORM>(transform8_));
  if (context_) cmsDeleteContext(static_cast<cmsContext>(context_));
}

Color ColorConverter::to_cmyk(const Color& color) const {
  if (color.space == Color::Space::Cmyk || !transform_) return naive_to_cmyk(color);
  // Gray stays on the black plate: a gray rule or text run through a press profile would come
  // out as four-colour gray, which registers badly on thin strokes.
  if (color.space == Color::Space::Gray) return naive_to_cmyk(color);
  float in[3] = {clamp01(color.c[0]), clamp01(color.c[1]), clamp01(color.c[2])};
  float out[4] = {};
  cmsDoTransform(static_cast<cmsHTRANSFORM>(transform_), in, out, 1);
  // lcms2 returns floating-point CMYK in 0..100 (ink percentages).
  return Color::cmyk(clamp01(out[0] / 100), clamp01(out[1] / 100), clamp01(out[2] / 100),
                     clamp01(out[3] / 100));
}

std::vector<uint8_t> ColorConverter::rgb_to_cmyk(std::span<const uint8_t> rgb) const {
  size_t n = rgb.size() / 3;
  std::vector<uint8_t> out(n * 4);
  if (transform8_) {
    cmsDoTransform(static_cast<cmsHTRANSFORM>(transform8_), rgb.data(), out.data(),
                   static_cast<cmsUInt32Number>(n));
    return out;
  }
  for (size_t i = 0; i < n; ++i) {
    Color c = naive_to_cmyk(Color::rgb(rgb[3 * i] / 255.0f, rgb[3 * i + 1] / 255.0f,
                                       rgb[3 * i + 2] / 255.0f));
    for (int k = 0; k < 4; ++k)
      out[4 * i + k] = static_cast<uint8_t>(std::lround(c.c[k] * 255));
  }
  return out;
}

std::vector<uint8_t> cmyk_to_rgb_pixels(std::span<const uint8_t> cmyk, bool inverted) {
  size_t n = cmyk.size() / 4;
  std::vector<uint8_t> out(n * 3);
  for (size_t i = 0; i < n; ++i) {
    int v[4];
    for (int k = 0; k < 4; ++k) v[k] = inverted ? 255 - cmyk[4 * i + k] : cmyk[4 * i + k];
    for (int k = 0; k < 3; ++k)
      out[3 * i + k] = static_cast<uint8_t>((255 - v[k]) * (255 - v[3]) / 255);
  }
  return out;
}

}  // namespace trang::pdf::detail
